import { afterEach, describe, expect, it } from 'vitest';
import { composeBenchConfig as composeConfig } from '../../../../src/hpc/config/compose-bench.js';
import { at, BASE_FILES, makeRoot } from './conf-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function compose(overrides: string[], extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  const { root, cleanup } = makeRoot({ ...BASE_FILES, ...extra });
  cleanups.push(cleanup);
  return composeConfig({ root, overrides, env });
}

describe('composeConfig: composition', () => {
  it('gives one default-r0 point with an empty config when there is no conf/ folder', () => {
    const { root, cleanup } = makeRoot({ 'README.md': 'x' });
    cleanups.push(cleanup);
    const { sweep, diagnostics } = composeConfig({ root, overrides: ['foo.bar=3'] });
    expect(diagnostics).toEqual([]);
    expect(sweep.points.map((p) => p.id)).toEqual(['default-r0']);
    expect(sweep.points[0]?.config).toEqual({ foo: { bar: 3 } });
  });

  it('puts each chosen group option under its group and lets _self_ override earlier groups', () => {
    const { sweep, diagnostics } = compose([], {
      'conf/config.yaml': `${BASE_FILES['conf/config.yaml']}topology:\n  compute_nodes: { count: 6 }\n`,
    });
    expect(diagnostics).toEqual([]);
    const c = sweep.points[0]?.config;
    expect(at(c, 'scheduler.SchedulerParameters.bf_window')).toBe(1440);
    expect(at(c, 'topology.compute_nodes')).toEqual({ count: 6, vcpus: 8, memory_gib: 32, gpus: 1 });
    expect(at(c, 'seed')).toBe(42);
    expect(at(c, 'sweep')).toBeUndefined();
  });

  it('puts group options after _self_ when _self_ is listed first', () => {
    const cfg = BASE_FILES['conf/config.yaml']!.replace('  - _self_\n', '').replace('defaults:\n', 'defaults:\n  - _self_\n');
    const { sweep } = compose([], { 'conf/config.yaml': `${cfg}topology:\n  compute_nodes: { count: 6 }\n` });
    expect(at(sweep.points[0]?.config, 'topology.compute_nodes.count')).toBe(4);
  });

  it('repeats each point `repetitions` times with rep set and the same config hash', () => {
    const { sweep } = compose(['repetitions=3']);
    expect(sweep.points.map((p) => [p.id, p.rep])).toEqual([['small-slurm-mixed-r0', 0], ['small-slurm-mixed-r1', 1], ['small-slurm-mixed-r2', 2]]);
    expect(new Set(sweep.points.map((p) => p.configHash)).size).toBe(1);
    expect(sweep.points[0]?.configHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('composeConfig: overrides', () => {
  it('sets keys with YAML typing and keeps quoted values as strings', () => {
    const { sweep, diagnostics } = compose(['seed=7', 'scheduler.SchedulerType="7"', 'scheduler.SchedulerParameters.bf_window=60']);
    expect(diagnostics).toEqual([]);
    const c = sweep.points[0]?.config;
    expect(at(c, 'seed')).toBe(7);
    expect(at(c, 'scheduler.SchedulerType')).toBe('7');
    expect(at(c, 'scheduler.SchedulerParameters.bf_window')).toBe(60);
    expect(sweep.points[0]?.overrides).toContain('scheduler.SchedulerParameters.bf_window=60');
  });

  it("applies an experiment's own defaults list (override /group: option) unless the command line chose that group", () => {
    const extra = { 'conf/experiment/big.yaml': '# @package _global_\ndefaults:\n  - override /topology: medium\n  - override /scheduler: flux\nseed: 1\n' };
    const { sweep, diagnostics } = compose(['experiment=big', 'scheduler=slurm'], extra);
    expect(diagnostics).toEqual([]);
    const c = sweep.points[0]?.config;
    expect([at(c, 'topology.name'), at(c, 'scheduler.kind'), at(c, 'seed'), at(c, 'defaults')]).toEqual(['medium', 'slurm', 1, undefined]);
    const bad = compose(['experiment=big'], { 'conf/experiment/big.yaml': '# @package _global_\ndefaults:\n  - override /topology: huge\n' });
    expect(bad.diagnostics[0]).toMatchObject({ file: 'conf/experiment/big.yaml', line: 3, message: 'unknown option "huge" for group topology' });
  });

  it('switches a group option with group=option', () => {
    const { sweep, diagnostics } = compose(['scheduler=flux']);
    expect(diagnostics).toEqual([]);
    expect(at(sweep.points[0]?.config, 'scheduler')).toEqual({ kind: 'flux', 'queue-policy': 'easy', 'match-policy': 'first' });
  });

  it('adds with +key, refuses to add an existing key, and refuses to set a missing key without +', () => {
    expect(at(compose(['+scheduler.PriorityType=priority/basic']).sweep.points[0]?.config, 'scheduler.PriorityType')).toBe('priority/basic');
    const added = compose(['+seed=1']).diagnostics;
    expect(added[0]?.message).toContain('cannot add seed');
    const missing = compose(['scheduler.PriorityType=priority/basic']).diagnostics;
    expect(missing[0]?.hint).toBe('use +scheduler.PriorityType=priority/basic to add it');
    expect(at(compose(['++seed=5']).sweep.points[0]?.config, 'seed')).toBe(5);
  });

  it('removes keys with ~key', () => {
    const { sweep, diagnostics } = compose(['~scheduler.SchedulerParameters.bf_max_job_test']);
    expect(diagnostics).toEqual([]);
    expect(at(sweep.points[0]?.config, 'scheduler.SchedulerParameters')).toEqual({ bf_window: 1440 });
  });
});

describe('composeConfig: interpolation', () => {
  it('resolves key references with their type, spliced references as text, and env with defaults', () => {
    const extra = {
      'conf/provider/sim.yaml': 'kind: sim\n',
      'conf/config.yaml': `${BASE_FILES['conf/config.yaml']}budget:\n  pools: { vm: '\${topology.compute_nodes.count}' }\n`,
    };
    const { sweep, diagnostics } = compose(
      ['+scheduler.ClusterName=c${topology.compute_nodes.count}', '+scheduler.SlurmUser=${env:BENCH_USER,slurm}', '+scheduler.SlurmdUser=${env:HOME_X,nobody}'],
      extra,
      { HOME_X: 'root' },
    );
    expect(diagnostics).toEqual([]);
    const c = sweep.points[0]?.config;
    expect(at(c, 'budget.pools.vm')).toBe(4);
    expect(at(c, 'scheduler.ClusterName')).toBe('c4');
    expect(at(c, 'scheduler.SlurmUser')).toBe('slurm');
    expect(at(c, 'scheduler.SlurmdUser')).toBe('root');
  });

  it('follows the chosen option of each sweep point', () => {
    const { sweep } = compose(['topology=small,medium', '+scheduler.ClusterName=n${topology.compute_nodes.count}']);
    expect(sweep.points.map((p) => at(p.config, 'scheduler.ClusterName'))).toEqual(['n4', 'n8']);
  });
});

describe('composeConfig: sweeps', () => {
  it('takes the product of an experiment sweep with readable ids in defaults order', () => {
    const { sweep, diagnostics } = compose(['experiment=matrix']);
    expect(diagnostics).toEqual([]);
    expect(sweep.points.map((p) => p.id)).toEqual(['small-slurm-mixed-r0', 'small-flux-mixed-r0', 'medium-slurm-mixed-r0', 'medium-flux-mixed-r0']);
    expect(new Set(sweep.points.map((p) => p.configHash)).size).toBe(4);
    expect(sweep.base.sweep).toBeDefined();
  });

  it('sweeps comma lists and range() from the command line, and a plain key=value pins a swept key', () => {
    const { sweep } = compose(['experiment=matrix', 'scheduler=flux', 'seed=range(1,7,3)']);
    expect(sweep.points.map((p) => p.id)).toEqual(['small-flux-mixed-seed=1-r0', 'small-flux-mixed-seed=4-r0', 'medium-flux-mixed-seed=1-r0', 'medium-flux-mixed-seed=4-r0']);
    expect(sweep.points[1]?.overrides).toEqual(['experiment=matrix', 'scheduler=flux', 'topology=small', 'seed=4']);
  });

  it('labels swept keys by their last segment, or by their full path when two share it', () => {
    const ids = compose(['scheduler.SchedulerParameters.bf_window=1,2']).sweep.points.map((p) => p.id);
    expect(ids).toEqual(['small-slurm-mixed-bf_window=1-r0', 'small-slurm-mixed-bf_window=2-r0']);
    const both = compose(['scheduler.SchedulerParameters.bf_window=1,2', '++workload.runtime_s.max=5,6']);
    expect(both.diagnostics.map((d) => d.message)).toEqual(['bad override "++workload.runtime_s.max=5,6": a sweep cannot be combined with + or ++']);
    const two = compose(['scheduler.SchedulerParameters.bf_window=1', 'seed=1,2', 'workload.cores.max=4,8']).sweep.points.map((p) => p.id);
    expect(two).toEqual(['small-slurm-mixed-seed=1-max=4-r0', 'small-slurm-mixed-seed=1-max=8-r0', 'small-slurm-mixed-seed=2-max=4-r0', 'small-slurm-mixed-seed=2-max=8-r0']);
    const clash = compose(['workload.cores.max=4,8', 'workload.runtime_s.max=600,900']).sweep.points.map((p) => p.id);
    expect(clash[0]).toBe('small-slurm-mixed-workload.cores.max=4-workload.runtime_s.max=600-r0');
  });

  it('zips paired lists, from an experiment and from zip(...) on the command line', () => {
    expect(compose(['experiment=paired']).sweep.points.map((p) => p.id)).toEqual(['small-slurm-mixed-seed=1-r0', 'small-flux-mixed-seed=2-r0']);
    const cli = compose(['zip(scheduler=slurm,flux;seed=3,4)', 'topology=small,medium']);
    expect(cli.sweep.points.map((p) => p.id)).toEqual(['small-slurm-mixed-seed=3-r0', 'medium-slurm-mixed-seed=3-r0', 'small-flux-mixed-seed=4-r0', 'medium-flux-mixed-seed=4-r0']);
    expect(compose(['zip(scheduler=slurm,flux;seed=3)']).diagnostics[0]?.message).toContain('same length');
  });

  it('pairs schedulers and workloads with the topology scheduler_resource_mapping names', () => {
    const { sweep, diagnostics } = compose(['experiment=mapped']);
    expect(diagnostics).toEqual([]);
    expect(sweep.points.map((p) => p.id)).toEqual(['medium-slurm-mixed-r0', 'small-slurm-trace-r0', 'small-flux-mixed-r0', 'medium-flux-trace-r0']);
    expect(at(sweep.points[0]?.config, 'topology.name')).toBe('medium');
  });

  it('gives every point its group choices as data, whether defaulted, experiment-chosen or swept', () => {
    const defaulted = compose([]).sweep.points[0];
    expect(defaulted?.choices).toEqual({ topology: 'small', scheduler: 'slurm', workload: 'mixed', provider: 'sim', experiment: 'none' });
    const mapped = compose(['experiment=mapped']).sweep.points[0];
    expect(mapped?.choices).toMatchObject({ topology: 'medium', scheduler: 'slurm', workload: 'mixed' });
    const swept = compose(['scheduler=slurm,flux', 'seed=1,2']).sweep.points[3];
    expect(swept?.choices).toMatchObject({ topology: 'small', scheduler: 'flux' });
    expect(swept?.swept).toEqual({ seed: 2 });
  });

  it('takes sweep modes from the caller: without the domain\'s mapped mode the engine takes the plain product', async () => {
    const { composeConfig: engineCompose } = await import('../../../../src/engine/config/compose.js');
    const { root, cleanup } = makeRoot(BASE_FILES);
    cleanups.push(cleanup);
    const plain = engineCompose({ root, overrides: ['experiment=mapped'], env: {} });
    // Without the domain's id groups the engine names every chosen group.
    expect(plain.sweep.points.map((p) => p.id)).toEqual(['small-slurm-mixed-sim-mapped-r0', 'small-slurm-trace-sim-mapped-r0', 'small-flux-mixed-sim-mapped-r0', 'small-flux-trace-sim-mapped-r0']);
    const pinned = compose(['experiment=mapped', 'topology=small']);
    expect(pinned.sweep.points.every((p) => p.choices.topology === 'small')).toBe(true);
  });
});

describe('describePoints', () => {
  it('lists point ids when no swept value singles out the affected points', async () => {
    const { describePoints } = await import('../../../../src/engine/config/merge-point-diagnostics.js');
    const points = [['slurm', 1], ['slurm', 2], ['flux', 1], ['flux', 2]].map(([s, seed]) => ({
      stem: `${s}-seed=${seed}`, diagnostics: [], combo: [{ key: 'scheduler', value: s }, { key: 'seed', value: seed }],
    }));
    expect(describePoints(new Set(['flux-seed=2']), points)).toBe('the points with scheduler=flux seed=2');
    expect(describePoints(new Set(['slurm-seed=1', 'flux-seed=2']), points)).toBe('2 of 4 points: slurm-seed=1, flux-seed=2');
  });
});
