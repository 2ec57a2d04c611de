/**
 * The CLI's conventions on a copy of this project: help and version, every override form on run
 * commands, located config errors (exit 2, no stack), and group choices filled in each run's
 * metrics.arrow whether a group was defaulted, chosen by an experiment or swept.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

let dir = '';
const bench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeEach(() => {
  dir = copyProject('bench-cli-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** topology/scheduler/workload of every run's metrics.arrow in the cache, sorted. */
async function runColumns(): Promise<string[]> {
  const store = join(dir, 'cache', 'store');
  const rows: string[] = [];
  for (const d of readdirSync(store)) {
    const file = join(store, d, 'metrics.arrow');
    if (!existsSync(file)) continue;
    const t = await readArrowFile(file);
    rows.push(['topology', 'scheduler', 'workload'].map((c) => String(t.getChild(c)?.get(0))).join(' '));
  }
  return rows.sort();
}

describe('help and version', () => {
  it('prints help for bench, --help, -h, help, help COMMAND and COMMAND --help, and runs nothing', () => {
    for (const args of [[], ['--help'], ['-h'], ['help']]) {
      const r = bench(...args);
      expect(r.code).toBe(0);
      expect(r.out).toContain('usage: bench [run] [TARGET...] [OVERRIDE...] [OPTIONS]');
      expect(r.out).toContain('~key');
    }
    expect(bench('help', 'config').out).toContain('usage: bench config show [GROUP] [OVERRIDE...]');
    expect(bench('graph', '--help').out).toContain('usage: bench graph');
    expect(bench('report:pareto', '--help').out).toContain('usage: bench [run]');
    expect(existsSync(join(dir, 'cache', 'store'))).toBe(false);
    const v = bench('--version');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^bench \d+\.\d+\.\d+\n$/);
  });
});

describe('overrides on run commands', () => {
  it('takes zip(...), ++key=v and ~key like bench config does', () => {
    const zip = bench('list', 'experiment=none', 'repetitions=1', 'zip(scheduler=slurm,flux;topology=small,medium)');
    expect(zip.err).toBe('');
    expect(zip.code).toBe(0);
    expect(zip.out).toContain('workload:run[small-slurm-mixed-r0]');
    expect(zip.out).toContain('workload:run[medium-flux-mixed-r0]');
    expect(zip.out).not.toContain('small-flux');

    const base = ['metrics', 'experiment=none', 'repetitions=1', 'workload=short'];
    const forced = bench(...base, '++seed=3', '-j', '1');
    expect(forced.err).toBe('');
    expect(forced.code).toBe(0);
    // ++seed=3 set the seed: the same run with seed=3 is up to date.
    expect(bench(...base, 'seed=3', '--dry-run').out).toMatch(/0 to run/);
    // ~seed removed it: the workload runs again, because its config changed.
    const removed = bench(...base, '~seed', '--dry-run');
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/run\s+workload:run\[\S+\]\s+config-changed.*seed/);
  });
});

describe('config errors on the command line', () => {
  const located = (args: string[]) => {
    const r = bench('--dry-run', ...args);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
    return r.err.split('\n').filter((l) => l.includes('error:'));
  };

  it('rejects an empty group choice instead of failing every task', () => {
    const lines = located(['scheduler=']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^command line: error: scheduler: a config group needs an option \(expected one of .*slurm.*, found nothing\); use ~scheduler/);
  });

  it('reports a misspelled key once, with its hint', () => {
    const lines = located(['scheduler.SchedulerTyp=x']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('did you mean "scheduler.SchedulerType"?');
  });

  it('says what repetitions and a nested SLURM parameter expect', () => {
    expect(located(['repetitions=0', 'experiment=none'])).toEqual(['command line: error: repetitions: too small (expected a number > 0, found 0)']);
    expect(located(['scheduler.SchedulerParameters.bf_window=[1,2]', 'experiment=none'])).toEqual([
      'command line: error: scheduler.SchedulerParameters.bf_window: wrong type (expected string | number | boolean, found [1,2])',
    ]);
  });

  it('says for which points a valid SLURM key is unknown', () => {
    expect(located(['+scheduler.SchedulerTimeSlice=30', 'experiment=none', 'scheduler=slurm,flux,kubernetes'])).toEqual([
      'command line: error: scheduler.SchedulerTimeSlice: unknown key "SchedulerTimeSlice" (at the points with scheduler=flux,kubernetes)',
    ]);
  });

  it('accepts --jobs=4 like --jobs 4', () => {
    const r = bench('--dry-run', '--jobs=4', 'metrics', 'experiment=none');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('group choices in metrics.arrow', () => {
  it('names topology, scheduler and workload for defaulted, experiment-chosen and swept groups', async () => {
    // Defaulted: nothing on the command line names a group.
    expect(bench('metrics', 'experiment=none', 'repetitions=1').code).toBe(0);
    expect(await runColumns()).toEqual(['small slurm mixed']);
    // Chosen by the experiment (mapped topology) and swept (scheduler, workload).
    expect(bench('metrics', 'experiment=mapped', 'repetitions=1', 'scheduler=slurm,flux').code).toBe(0);
    const rows = await runColumns();
    expect(rows).toContain('medium slurm mixed');
    expect(rows.every((r) => !r.split(' ').includes('') && !r.includes('undefined'))).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(5);
  }, 240_000);
});
