/**
 * The README's main command on a copy of this project: the full default sweep on the embedded
 * simulator writes the report and the metrics table, prints one front per workload (over the
 * objectives and the node-hours cost), and a second run does nothing.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

let dir = '';
const bench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  dir = copyProject('bench-main-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench report:pareto on the embedded default', () => {
  it('runs the full matrix, prints a front per workload with the cost, and writes report.html and metrics.arrow', async () => {
    const r = bench('report:pareto');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // One image serves every point; 81 runs, 81 metrics, one report.
    expect(r.out).toMatch(/done: 164 ran, 0 up to date, 0 failed/);
    // One front per workload, each over that workload's 9 points, never one pooled front of 27.
    const fronts = [...r.out.matchAll(/^(.*): (\d+) of (\d+) points on the front$/gm)];
    expect(fronts.map((m) => m[3])).toEqual(['9', '9', '9']);
    for (const w of ['cpu_intensive', 'gpu_intensive', 'mixed']) expect(fronts.some((m) => (m[1] as string).includes(w))).toBe(true);
    const onFront = fronts.reduce((n, m) => n + Number(m[2]), 0);
    expect(r.out).toContain(`${onFront} of 27 points on the fronts of 3 group(s)`);
    // The cost objective is on by default, next to the configured ones.
    expect(r.out).toMatch(/node_hours \([^)]+\) ↓/);
    expect(existsSync(join(dir, 'results', 'report.html'))).toBe(true);
    const table = await readArrowFile(join(dir, 'results', 'metrics.arrow'));
    expect(table.numRows).toBe(27);
    const reps = table.getChild('reps')?.toArray() as Int32Array;
    expect([...reps].every((n) => n === 3)).toBe(true);
    const cost = [...(table.getChild('node_hours')?.toArray() as Float64Array)];
    expect(cost).toHaveLength(27);
    expect(cost.every((v) => v > 0)).toBe(true);
    // Ranks are within a workload: 9 points per group, each group with its own rank-1 points.
    const ranking = JSON.parse(readFileSync(join(dir, 'results', 'report-pareto', 'all', 'ranking.json'), 'utf8')) as { point: string; group: string; rank: number }[];
    expect(ranking).toHaveLength(27);
    const groups = new Map<string, { point: string; rank: number }[]>();
    for (const row of ranking) groups.set(row.group, [...(groups.get(row.group) ?? []), row]);
    expect(groups.size).toBe(3);
    for (const [group, rows] of groups) {
      expect(rows).toHaveLength(9);
      expect(rows.filter((x) => x.rank === 1).length).toBeGreaterThan(0);
      const workload = ['cpu_intensive', 'gpu_intensive', 'mixed'].find((w) => group.includes(w)) as string;
      expect(rows.every((x) => x.point.endsWith(`-${workload}`))).toBe(true);
    }
    expect(onFront).toBe(ranking.filter((x) => x.rank === 1).length);
  }, 300_000);

  it('runs nothing the second time and still shows the front', () => {
    const r = bench('report:pareto');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/done: 0 ran, 164 up to date, 0 failed/);
    expect(r.out).toMatch(/of 27 points on the fronts of 3 group\(s\)/);
  });

  it('after an edit of the flux config, plans only the flux runs again, naming the key', () => {
    const file = join(dir, 'conf', 'scheduler', 'flux.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('queue-policy: easy', 'queue-policy: fcfs'));
    const r = bench('report:pareto', '--dry-run');
    expect(r.code).toBe(0);
    const runs = r.out.split('\n').filter((l) => /^run\s+workload:run\[/.test(l));
    expect(runs).toHaveLength(27);
    for (const l of runs) expect(l).toMatch(/-flux-.*config-changed.*queue-policy.*easy.*fcfs/);
    expect(r.out.split('\n').filter((l) => /^skip\s+workload:run\[/.test(l))).toHaveLength(54);
  });
});
