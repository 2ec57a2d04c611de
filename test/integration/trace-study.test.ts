/**
 * RLScheduler's published FCFS table (Zhang et al., SC 2020, Table V without backfilling), through
 * the CLI on a copy of this project: `bench report:trace-study experiment=trace_windows` runs ten
 * windows of 1,024 jobs of each Lublin trace on the machine from its header and prints the mean
 * bounded slowdown over windows — 7273.77 and 7842.47 — with its spread. A trace run says in
 * its run.json how many records it dropped and how many jobs were too wide for the machine.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

let dir = '';

beforeAll(() => {
  dir = copyProject('bench-trace-study-', { extra: ['data/traces/rlscheduler-lublin256', 'data/traces/alea-hpc2n-prefix'] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trace study through the CLI', () => {
  it("reproduces RLScheduler's FCFS table with one command", () => {
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), 'report:trace-study', 'experiment=trace_windows'], { cwd: dir, encoding: 'utf8', timeout: 170_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const windows = '10 windows: 1981, 2714, 2756, 3316, 4022, 4299, 5228, 7085, 7762, 8850';
    expect(r.stdout).toContain(`workload=trace_lublin (${windows})\n  bsld_mean    mean    7273.77`);
    expect(r.stdout).toContain(`workload=trace_lublin_2 (${windows})\n  bsld_mean    mean    7842.47`);
    const study = JSON.parse(readFileSync(join(dir, 'results', 'trace-study.json'), 'utf8')) as { group: string; metrics: Record<string, { mean: number; sd: number; ci95: [number, number] }> }[];
    expect(study).toHaveLength(2);
    for (const g of study) {
      const b = g.metrics['bsld_mean'] as { mean: number; sd: number; ci95: [number, number] };
      expect(b.sd).toBeGreaterThan(0);
      expect(b.ci95[0]).toBeLessThan(b.mean);
      expect(b.ci95[1]).toBeGreaterThan(b.mean);
    }
  }, 180_000);

  it('records the dropped and too-wide job counts in run.json', () => {
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), 'workload:run', 'workload=trace_hpc2n', 'topology=small', 'experiment=none', 'repetitions=1'], { cwd: dir, encoding: 'utf8', timeout: 110_000 });
    expect(r.status).toBe(0);
    // The warning and the record agree: the 32-core small topology is too narrow for 418 HPC2N jobs.
    expect(r.stderr + r.stdout).toMatch(/418 trace jobs asked for more than the small topology's 32 cores/);
    const store = join(dir, 'cache', 'store');
    const runs = readdirSync(store).map((d) => join(store, d, 'run.json')).filter(existsSync).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>);
    const hpc2n = runs.filter((x) => x['jobs'] === 300);
    expect(hpc2n).toHaveLength(1);
    expect(hpc2n[0]).toMatchObject({ dropped: 25, tooWide: 418, clamped: 0 });
  }, 120_000);
});
