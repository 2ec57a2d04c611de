/**
 * Nothing stale, nothing touched for nothing: a trace edited in place reruns the runs that replay
 * it, the same run writes the same bytes alone or inside a sweep, and a no-op run leaves the
 * published files alone. Through the CLI on a copy of this project (and one small benchfile).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, PRELUDE, REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

let dir = '';
const bench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  dir = copyProject('bench-stale-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inputs found from the config', () => {
  it('an SWF trace edited in place reruns the runs that replay it, naming the file', () => {
    // The first 40 jobs of the shipped HPC2N window, as the user's own trace file.
    const jobs = readFileSync(join(REPO, 'data/traces/alea-hpc2n-prefix/hpc2n.swf'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith(';'));
    writeFileSync(join(dir, 'mine.swf'), `${jobs.slice(0, 40).join('\n')}\n`);
    const sweep = ['workload:run', 'experiment=none', 'workload=trace_hpc2n', 'workload.path=mine.swf'];
    expect(bench(...sweep).code).toBe(0);
    expect(bench(...sweep, '--dry-run').out).toMatch(/\n0 to run, /);
    // One job fewer: the same file, edited in place.
    writeFileSync(join(dir, 'mine.swf'), `${jobs.slice(0, 39).join('\n')}\n`);
    const runs = bench(...sweep, '--dry-run').out.split('\n').filter((l) => l.startsWith('run '));
    expect(runs).toHaveLength(3);
    for (const l of runs) expect(l).toMatch(/^run\s+workload:run\[small-slurm-trace_hpc2n-r\d\]\s+input-changed: mine\.swf$/);
  });
});

describe('deterministic outputs', () => {
  it('a run writes the same jobs.arrow alone and inside a larger sweep', () => {
    expect(bench('workload:run', 'experiment=none').code).toBe(0);
    const jobs = (rep: number) => readFileSync(join(dir, `results/workload-run/small-slurm-mixed-r${rep}/jobs.arrow`));
    const alone = [0, 1, 2].map(jobs);
    // The slurm points of this sweep are the point run alone (same ids); forced, they run again
    // inside the sweep while the flux runs write tables in between.
    expect(bench('workload:run', 'experiment=none', 'scheduler=flux,slurm', '--force', 'workload:run').code).toBe(0);
    for (const rep of [0, 1, 2]) {
      const inSweep = jobs(rep);
      expect(inSweep.equals(alone[rep] as Buffer)).toBe(true);
    }
  });
});

describe('published files', () => {
  it('a no-op run does not rewrite what it published', () => {
    const p = makeProject(`${PRELUDE}
export default { tasks: [
  { kind: 'artifact', name: 'report', version: 1, publish: ['report.html'],
    async run(ctx) { writeFileSync(join(ctx.outDir, 'report.html'), '<p>front</p>'); } },
] } satisfies Benchfile;
`);
    try {
      expect(p.run(['report']).code).toBe(0);
      const before = statSync(join(p.dir, 'results/report.html'));
      // Without the run stamp, so that the no-op goes through planning and publishing.
      rmSync(join(p.dir, 'cache/run-stamp.json'), { force: true });
      const again = p.run(['report']);
      expect(again.stdout).toMatch(/done: 0 ran, 1 up to date/);
      const after = statSync(join(p.dir, 'results/report.html'));
      expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
      expect(p.read('results/report.html')).toBe('<p>front</p>');
    } finally {
      p.remove();
    }
  });
});
