/**
 * `--dry-run` on a copy of this project: the count table per task name and action leads, each
 * instance is listed once, a long reason is summarised; `bench explain` on a name that matches
 * nothing suggests the closest ones.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

let dir = '';
const bench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  dir = copyProject('bench-dry-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DETAIL = /^(run|skip|resource)\s+(\S+\[[^\]]*\])\s+(.*)$/;

describe('bench --dry-run on the default sweep', () => {
  it('leads with a count table per task and action, then lists every instance once, totals last', () => {
    const r = bench('report:pareto', '--dry-run');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    const table = lines.slice(0, lines.indexOf(''));
    expect(table[0]).toMatch(/^task\s+run\s+skip\s+resource\s+total/);
    const row = (name: string) => table.find((l) => l.startsWith(`${name} `))?.trim().split(/\s+/).slice(1, 5).map(Number);
    expect(row('image:build')).toEqual([1, 0, 0, 1]);
    expect(row('cluster:provision')).toEqual([0, 0, 3, 3]);
    expect(row('scheduler:configure')).toEqual([0, 0, 9, 9]);
    expect(row('workload:run')).toEqual([81, 0, 0, 81]);
    expect(row('metrics')).toEqual([81, 0, 0, 81]);
    expect(row('report:pareto')).toEqual([1, 0, 0, 1]);
    expect(row('total')).toEqual([164, 0, 12, 176]);
    const ids = lines.flatMap((l) => DETAIL.exec(l)?.[2] ?? []);
    expect(ids).toHaveLength(176);
    expect(new Set(ids).size).toBe(176);
    // Each id is written once: no second listing (the old output repeated every task in a graph).
    for (const id of ['workload:run[small-slurm-mixed-r0]', 'report:pareto[all]']) expect(r.out.split(id).length - 1).toBe(1);
    expect(lines.at(-1)).toBe('164 to run, 0 up to date, 12 resources');
    expect(lines.length).toBeLessThan(200);
  });

  it('summarises a reason that lists many point ids by count and the first few', () => {
    const small = ['experiment=none', 'topology=tiny', 'workload=short', 'scheduler=slurm', 'repetitions=1'];
    expect(bench('report:pareto', ...small, 'seed=1,2,3,4,5,6,7,8').code).toBe(0);
    const r = bench('report:pareto', ...small, 'seed=1,2', '--dry-run');
    expect(r.code).toBe(0);
    const report = r.out.split('\n').find((l) => l.startsWith('run ') && l.includes('report:pareto[')) ?? '';
    expect(report).toMatch(/config-changed: points 8 items → 2 items \(removed \S*seed=3-r0, \S*seed=4-r0, \S*seed=5-r0 and 3 more\)$/);
    expect(Math.max(...r.out.split('\n').map((l) => l.length))).toBeLessThan(200);
  });
});

describe('bench explain on a name that matches nothing', () => {
  it('suggests the closest task names, exit 2', () => {
    const r = bench('explain', 'workload:rnu');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/target "workload:rnu".*did you mean "workload:run"\?/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('suggests the closest instance ids for a misspelled id, exit 2', () => {
    const r = bench('explain', 'workload:run[small-slurm-mixd-r0]');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/matches no instance; did you mean "workload:run\[small-slurm-mixed-r0\]"/);
  });
});
