/**
 * End to end: run a small sweep, edit one key of conf/scheduler/slurm.yaml, and the dry run reruns
 * exactly the slurm point's tasks that read it (naming the key with old and new value) and what
 * follows them; everything else stays up to date.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_FILES } from '../unit/engine/config/conf-fixture.js';
import { makeProject, PRELUDE, type TempProject } from './engine-project.js';

const BENCHFILE = `${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'cluster:size', version: 1, reads: ['topology'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'nodes.txt'), String((ctx.config as any).topology.compute_nodes.count)); } },
    { kind: 'artifact', name: 'scheduler:configure', version: 1, reads: ['scheduler'], needs: ['cluster:size'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'sched.json'), JSON.stringify(ctx.config)); } },
    { kind: 'artifact', name: 'workload:run', version: 1, reads: ['workload', 'seed'], needs: ['scheduler:configure'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'out.txt'), readFileSync(join(ctx.deps['scheduler:configure']![0]!.dir, 'sched.json'))); } },
  ],
} satisfies Benchfile;
`;

let p: TempProject | undefined;
afterEach(() => p?.remove());

function writeConf(project: TempProject): void {
  const files = { ...BASE_FILES, 'conf/experiment/none.yaml': '# @package _global_\nsweep: { mode: product, params: { scheduler: [slurm, flux] } }\n' };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project.dir, rel)), { recursive: true });
    writeFileSync(join(project.dir, rel), text);
  }
}

const lineOf = (out: string, task: string, point: string): string =>
  out.split('\n').find((l) => /^(run|skip|resource)\s/.test(l) && l.includes(task) && l.includes(point)) ?? '';

describe('editing conf/scheduler/slurm.yaml', () => {
  it('reruns only the slurm point tasks that read the scheduler, naming the key with old and new value', () => {
    p = makeProject(BENCHFILE);
    writeConf(p);
    const first = p.run(['run']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);

    const slurm = join(p.dir, 'conf/scheduler/slurm.yaml');
    writeFileSync(slurm, readFileSync(slurm, 'utf8').replace('bf_window: 1440', 'bf_window: 60'));
    const out = p.run(['--dry-run']).stdout;

    expect(lineOf(out, 'scheduler:configure', '[small-slurm]')).toMatch(/^run\s.*config-changed: scheduler\.SchedulerParameters\.bf_window 1440 → 60/);
    expect(lineOf(out, 'workload:run', '[small-slurm-mixed]')).toMatch(/^run\s.*dependency-changed: scheduler:configure\[small-slurm\]/);
    expect(lineOf(out, 'scheduler:configure', '[small-flux]')).toMatch(/^skip\s.*up-to-date/);
    expect(lineOf(out, 'workload:run', '[small-flux-mixed]')).toMatch(/^skip\s.*up-to-date/);
    const cluster = out.split('\n').filter((l) => /^(run|skip)\s/.test(l) && l.includes('cluster:size'));
    expect(cluster.length).toBeGreaterThan(0);
    expect(cluster.every((l) => /^skip\s.*up-to-date/.test(l))).toBe(true);
    expect(out).toMatch(/2 to run, \d+ up to date/);
  });
});
