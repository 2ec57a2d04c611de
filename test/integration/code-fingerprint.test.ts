/**
 * Code is part of the fingerprint, through the CLI on a copy of this project. The copy has its
 * own `node_modules/bench` (package.json and dist copied, packages linked) so that the test can
 * edit a library module the way a fix to the simulator would, without touching this repository.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, REPO } from './engine-project.js';

let dir = '';
const SWEEP = ['metrics', 'experiment=none'];
const bench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const edit = (rel: string, f: (text: string) => string) => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8')));
/** `run` lines of a dry run: task id → reason. */
const planned = (out: string) => new Map(out.split('\n').filter((l) => l.startsWith('run ')).map((l) => {
  const [, id, reason] = /^run\s+(\S+)\s+(.*)$/.exec(l) as RegExpExecArray;
  return [id as string, reason as string];
}));
/** Tasks started by the newest run, from its NDJSON log. */
const lastRunStarted = () => {
  const logs = join(dir, 'cache', 'logs');
  const newest = readdirSync(logs).sort().at(-1) as string;
  return readFileSync(join(logs, newest), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; taskId?: string })
    .filter((e) => e.kind === 'task-started').map((e) => e.taskId as string).sort();
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-code-'));
  for (const p of ['benchfile.ts', 'tasks', 'conf']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  const lib = join(dir, 'node_modules', 'bench');
  mkdirSync(lib, { recursive: true });
  cpSync(join(REPO, 'package.json'), join(lib, 'package.json'));
  cpSync(join(REPO, 'dist'), join(lib, 'dist'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(lib, 'node_modules'));
  const r = bench(...SWEEP);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('code in the fingerprint', () => {
  it("an edit of a task's run reruns exactly that task's instances, naming the file", () => {
    edit('tasks/metrics.ts', (t) => t.replace('async run(ctx) {', "async run(ctx) {\n    ctx.log.debug('metrics, edited');"));
    const plan = planned(bench(...SWEEP, '--dry-run').out);
    expect([...plan.keys()].sort()).toEqual(['metrics[small-slurm-mixed-r0]', 'metrics[small-slurm-mixed-r1]', 'metrics[small-slurm-mixed-r2]']);
    for (const reason of plan.values()) expect(reason).toBe('code-changed: tasks/metrics.ts');
    const explained = bench('explain', 'metrics[small-slurm-mixed-r0]', 'experiment=none').out;
    expect(explained).toMatch(/difference: code-changed: tasks\/metrics\.ts/);
    expect(bench(...SWEEP).code).toBe(0);
    expect(lastRunStarted()).toEqual(['metrics[small-slurm-mixed-r0]', 'metrics[small-slurm-mixed-r1]', 'metrics[small-slurm-mixed-r2]']);
  });

  it('a comment-only or formatting-only edit reruns nothing, in a task or in the library', () => {
    edit('tasks/metrics.ts', (t) => `// A note on metrics.\n${t.replace('async run(ctx) {', 'async  run(ctx)   {\n\n    /* why: nothing */')}`);
    edit('node_modules/bench/dist/hpc/sim/conservative.js', (t) => `/* a comment */\n${t.replace(/;\n/g, ';\n\n')}`);
    const r = bench(...SWEEP, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n0 to run, 7 up to date/);
  });

  it('a library module only workload:run reaches reruns the runs; metrics only where jobs.arrow changed', () => {
    edit('node_modules/bench/dist/hpc/sim/conservative.js', (t) => `${t}\nglobalThis.__benchConservativeLoaded = true;\n`);
    const plan = planned(bench(...SWEEP, '--dry-run').out);
    const runs = [...plan.entries()].filter(([id]) => id.startsWith('workload:run['));
    expect(runs).toHaveLength(3);
    for (const [, reason] of runs) expect(reason).toBe('code-changed: bench:src/hpc/sim/conservative.ts');
    // Planned metrics wait for their runs' outputs: none of them names code as the reason.
    for (const [id, reason] of plan) if (id.startsWith('metrics[')) expect(reason).not.toMatch(/code-changed/);
    expect(bench(...SWEEP).code).toBe(0);
    // The edit changes no schedule, so every jobs.arrow is byte-identical and no metrics reran.
    expect(lastRunStarted()).toEqual(['workload:run[small-slurm-mixed-r0]', 'workload:run[small-slurm-mixed-r1]', 'workload:run[small-slurm-mixed-r2]']);
  });
});

describe('package versions in the fingerprint', () => {
  it("a changed version of a package a task imports reruns that task, not its neighbour", () => {
    // Code is charged per declaring module (and what it imports), so each task has its own, as in tasks/.
    const p = makeProject(`import type { Benchfile } from 'bench';
import { usesPkg } from './uses.js';
import { plain } from './plain.js';
export default { tasks: [usesPkg, plain] } satisfies Benchfile;
`);
    p.write('plain.ts', `import type { ArtifactTaskDef } from 'bench';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const plain: ArtifactTaskDef = { kind: 'artifact', name: 'plain', version: 1, async run(ctx) { writeFileSync(join(ctx.outDir, 'o'), 'x'); } };
`);
    p.write('uses.ts', `import type { ArtifactTaskDef } from 'bench';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const usesPkg: ArtifactTaskDef = {
  kind: 'artifact', name: 'uses-pkg', version: 1,
  async run(ctx) { const m = await import('fake-pkg'); writeFileSync(join(ctx.outDir, 'o'), String(m.default)); },
};
`);
    try {
      mkdirSync(join(p.dir, 'node_modules', 'fake-pkg'));
      p.write('node_modules/fake-pkg/index.js', 'export default 1;\n');
      p.write('node_modules/fake-pkg/package.json', JSON.stringify({ name: 'fake-pkg', version: '1.0.0', type: 'module', main: 'index.js' }));
      expect(p.run(['run']).code).toBe(0);
      expect(p.run(['--dry-run']).stdout).toMatch(/\n0 to run, 2 up to date/);
      p.write('node_modules/fake-pkg/package.json', JSON.stringify({ name: 'fake-pkg', version: '1.0.1', type: 'module', main: 'index.js' }));
      const out = p.run(['--dry-run']).stdout;
      expect(out).toMatch(/^run\s+uses-pkg\S*\s+code-changed: npm:fake-pkg$/m);
      expect(out).toMatch(/^skip\s+plain/m);
    } finally {
      p.remove();
    }
  });
});
