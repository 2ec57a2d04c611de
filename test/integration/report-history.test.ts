/**
 * Report history and exports on a copy of this project: every report invocation keeps its own
 * folder under results/runs/ with results/latest on the newest, a no-op run adds none, `bench runs`
 * and `bench compare` read them, and `bench results --format parquet` writes files that DuckDB (an
 * independent Parquet reader) reads back with one row per repetition and per job.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

let dir = '';
const bench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const history = () => readdirSync(join(dir, 'results', 'runs')).filter((n) => !n.startsWith('.')).sort();

beforeAll(() => {
  dir = copyProject('bench-history-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report history', () => {
  it('keeps one folder per invocation and points results/latest at the newest', () => {
    const first = bench('report:pareto', 'topology=small', 'scheduler=slurm', 'workload=mixed,cpu_intensive', 'repetitions=2', 'experiment=none');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^workload=cpu_intensive: \d of 1 points on the front/m);
    expect(first.out).toMatch(/^warnings \(\d+ distinct, deduplicated\):/m);
    expect(first.out).toMatch(/2× \d+(–\d+)? jobs asked for more than the small topology has/);
    expect(history()).toHaveLength(1);
    const second = bench('report:pareto', 'topology=small', 'scheduler=flux', 'workload=cpu_intensive', 'repetitions=2', 'experiment=none');
    expect(second.code).toBe(0);
    const runs = history();
    expect(runs).toHaveLength(2);
    expect(readlinkSync(join(dir, 'results', 'latest'))).toBe(join('runs', runs[1] as string));
    for (const r of runs) for (const f of ['report.html', 'front.txt', 'metrics.arrow']) expect(existsSync(join(dir, 'results', 'runs', r, f))).toBe(true);
    // The first report is still the first sweep's: nothing was overwritten.
    expect(readFileSync(join(dir, 'results', 'runs', runs[0] as string, 'report.html'), 'utf8')).toContain('small-slurm-mixed');
    expect(readFileSync(join(dir, 'results', 'latest', 'report.html'), 'utf8')).not.toContain('small-slurm-mixed');
    expect(readFileSync(join(dir, 'results', 'latest', 'report.html'), 'utf8')).toMatch(/clamped to it/);
  }, 240_000);

  it('adds no folder when nothing ran', () => {
    const again = bench('report:pareto', 'topology=small', 'scheduler=flux', 'workload=cpu_intensive', 'repetitions=2', 'experiment=none');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/0 ran/);
    expect(history()).toHaveLength(2);
  }, 120_000);

  it('lists the runs and compares two side by side', () => {
    const [a, b] = history() as [string, string];
    const list = bench('runs');
    expect(list.code).toBe(0);
    expect(list.out).toContain(`  ${a}`);
    expect(list.out).toContain(`* ${b}`);
    const cmp = bench('compare', a, 'latest');
    expect(cmp.code).toBe(0);
    expect(cmp.out).toMatch(/^point\s+rank A\s+rank B\s+makespan A\s+makespan B/m);
    expect(cmp.out).toMatch(/^small-slurm-cpu_intensive\s+1\s+—/m);
    expect(cmp.out).toMatch(/^small-flux-cpu_intensive\s+—\s+1/m);
    const bad = bench('compare', a, 'nosuchrun');
    expect(bad.code).toBe(2);
    expect(bad.err + bad.out).toMatch(/no such run/);
  }, 60_000);

  it('exports per-repetition metrics, every job and the fronts to parquet that DuckDB reads', async () => {
    const r = bench('results', '--format', 'parquet', '--run', (history()[0] as string).slice(0, 22));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = join(dir, 'results', 'export', history()[0] as string);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const rows = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson();
    const reps = await rows(`select point_id, rep, makespan, node_hours from read_parquet('${join(out, 'rep-metrics.parquet')}') order by point_id, rep`);
    expect(reps.map((x) => `${String(x['point_id'])}/${String(x['rep'])}`)).toEqual(['small-slurm-cpu_intensive/0', 'small-slurm-cpu_intensive/1', 'small-slurm-mixed/0', 'small-slurm-mixed/1']);
    for (const x of reps) expect(Number(x['node_hours'])).toBeCloseTo((4 * Number(x['makespan'])) / 3600, 6);
    const jobs = await rows(`select point_id, rep, count(*) as n from read_parquet('${join(out, 'jobs.parquet')}') group by all order by all`);
    expect(jobs).toHaveLength(4);
    for (const j of jobs) expect(Number(j['n'])).toBeGreaterThan(100);
    const front = await rows(`select count(*) as n from read_parquet('${join(out, 'front.parquet')}') where on_front`);
    expect(Number(front[0]?.['n'])).toBe(2);
    con.closeSync();
  }, 120_000);
});
