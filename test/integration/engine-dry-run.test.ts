import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, PRELUDE, type TempProject } from './engine-project.js';

const BF = (version: number) => `${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'a:gen', version: ${version}, inputs: ['in.txt'], reads: ['sched.window'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'a.txt'), readFileSync(join(ctx.projectRoot, 'in.txt'), 'utf8') + JSON.stringify(ctx.config)); } },
    { kind: 'artifact', name: 'b:use', version: 1, needs: ['a:gen'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'b.txt'), readFileSync(join(ctx.deps['a:gen']![0]!.dir, 'a.txt'))); } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

const line = (out: string, id: string): string => out.split('\n').find((l) => l.includes(` ${id} `) || l.endsWith(` ${id}`)) ?? '';

describe('bench --dry-run reasons', () => {
  it('lists every needed task with action and reason, one case per reason kind', () => {
    p = makeProject(BF(1));
    p.write('in.txt', 'x');
    let out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toMatch(/^run\s+a:gen\[default-r0\]\s+new/);
    expect(p.run(['sched.window=10']).code).toBe(0);

    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toMatch(/skip\s+\S+\s+up-to-date/);

    out = p.run(['--dry-run', 'sched.window=50']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('config-changed: sched.window 10 → 50');
    expect(line(out, 'b:use[default-r0]')).toContain('dependency-changed: a:gen[default-r0]');

    p.write('in.txt', 'y');
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('input-changed: in.txt');
    p.write('in.txt', 'x');

    out = p.run(['--dry-run', 'sched.window=10', '--force', 'b:use']).stdout;
    expect(line(out, 'b:use[default-r0]')).toMatch(/run\s+\S+\s+forced/);

    rmSync(join(p.dir, 'cache', 'store'), { recursive: true });
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('output-missing');

    p.write('benchfile.ts', BF(2));
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('version-changed: 1 → 2');
  });

  it('a task whose fingerprint was committed before is restored from the history, not run: the dry run says so and the run does it', () => {
    p = makeProject(`${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'a:gen', version: 1, inputs: ['in.txt'], reads: ['sched.window'],
      async run(ctx) { mark(ctx, 'a ' + JSON.stringify(ctx.config)); writeFileSync(join(ctx.outDir, 'a.txt'), readFileSync(join(ctx.projectRoot, 'in.txt'), 'utf8') + JSON.stringify(ctx.config)); } },
    { kind: 'artifact', name: 'b:use', version: 1, needs: ['a:gen'],
      async run(ctx) { mark(ctx, 'b'); writeFileSync(join(ctx.outDir, 'b.txt'), readFileSync(join(ctx.deps['a:gen']![0]!.dir, 'a.txt'))); } },
  ],
} satisfies Benchfile;
`);
    p.write('in.txt', 'x');
    expect(p.run(['sched.window=10']).code).toBe(0);
    expect(p.run(['sched.window=50']).code).toBe(0);
    expect(p.log()).toHaveLength(4);

    // Switching back: both commits of window=10 are in the history, so nothing runs.
    let out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toMatch(/^restore\s+a:gen\[default-r0\]\s+config-changed: sched.window 50 → 10; the same fingerprint was committed at \S+: its output is taken back, not run$/);
    expect(line(out, 'b:use[default-r0]')).toMatch(/^restore\s+b:use\[default-r0\]\s+dependency-changed: a:gen\[default-r0\]; the same fingerprint/);
    expect(out).toMatch(/^task\s+run\s+skip\s+restore\s+resource\s+total/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('0 to run, 2 to restore from history, 0 up to date, 0 resources');
    // explain agrees: b:use's fingerprint is made with the restored output of a:gen, not the latest one.
    const why = p.run(['explain', 'b:use', 'sched.window=10']).stdout;
    expect(why).toMatch(/^b:use\[default-r0\] \(artifact\) — restore: dependency-changed/m);
    expect(why).toMatch(/^difference: dependency-changed: a:gen\[default-r0\]/m);

    const r = p.run(['sched.window=10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/done: 0 ran, 2 restored from history, 0 up to date, 0 failed/);
    expect(p.log()).toHaveLength(4);
    const skipped = p.events().filter((e) => e.kind === 'task-skipped' && e.reason?.kind === 'restored').map((e) => e.taskId);
    expect(skipped.sort()).toEqual(['a:gen[default-r0]', 'b:use[default-r0]']);
    expect(p.read('results/b-use/default-r0/b.txt')).toBe('x{"sched.window":10}');
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(out.trimEnd().split('\n').at(-1)).toBe('0 to run, 2 up to date, 0 resources');

    // An edit reverted: the input's old content was committed, so the revert restores as well.
    p.write('in.txt', 'y');
    expect(p.run(['sched.window=10']).code).toBe(0);
    expect(p.log()).toHaveLength(6);
    p.write('in.txt', 'x');
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toMatch(/^restore\s+\S+\s+input-changed: in.txt; the same fingerprint/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('0 to run, 2 to restore from history, 0 up to date, 0 resources');
    expect(p.run(['sched.window=10']).stdout).toMatch(/done: 0 ran, 2 restored from history, 0 up to date/);
    expect(p.log()).toHaveLength(6);

    // --force is a request to run: nothing is restored.
    out = p.run(['--dry-run', 'sched.window=50', '--force', 'a:gen']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toMatch(/^run\s+\S+\s+forced/);
  });

  it('bench explain shows the fingerprint record and the difference from the last run', () => {
    p = makeProject(BF(1));
    p.write('in.txt', 'x');
    p.run(['sched.window=10']);
    const out = p.run(['explain', 'a:gen', 'sched.window=11']).stdout;
    expect(out).toContain('"sched.window": 11');
    expect(out).toContain('difference: config-changed: sched.window 10 → 11');
  });

  it('a dependency cycle is a diagnostic naming the chain and where each task is declared (exit 2)', () => {
    p = makeProject(`${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'x:one', version: 1, needs: ['x:two'], async run() {} },
    { kind: 'artifact', name: 'x:two', version: 1, needs: ['x:one'], async run() {} },
  ],
} satisfies Benchfile;
`);
    const r = p.run(['run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dependency cycle: x:one → x:two → x:one');
    expect(r.stderr).toContain('x:one (benchfile.ts:10)');
    expect(r.stderr).toContain('x:two (benchfile.ts:11)');
  });

  it('a syntax error in the benchfile is a located diagnostic', () => {
    p = makeProject(`export default { tasks: [ ] ;\n`);
    const r = p.run(['run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/benchfile\.ts:1:\d+: error/);
  });
});
