import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { composeBenchConfig as composeConfig } from '../../../../src/hpc/config/compose-bench.js';
import { formatDiagnostic } from '../../../../src/engine/diagnostic.js';
import { BASE_FILES, makeRoot } from './conf-fixture.js';

const REPO = fileURLToPath(new URL('../../../..', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function compose(overrides: string[], extra: Record<string, string> = {}) {
  const { root, cleanup } = makeRoot({ ...BASE_FILES, ...extra });
  cleanups.push(cleanup);
  return composeConfig({ root, overrides, env: {} });
}

describe('composeConfig: located errors', () => {
  it('names an unknown group option, where it was chosen, what exists and the likely intent', () => {
    const cfg = BASE_FILES['conf/config.yaml']!.replace('topology: small', 'topology: smal');
    const [d, ...rest] = compose([], { 'conf/config.yaml': cfg }).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ file: 'conf/config.yaml', line: 2, column: 5, keyPath: 'topology', expected: 'one of medium, small', found: 'smal', hint: 'did you mean "small"?' });
    const cli = compose(['scheduler=slrum']).diagnostics[0];
    expect(cli).toMatchObject({ file: 'command line', hint: 'did you mean "slurm"?', expected: 'one of flux, slurm' });
  });

  it('points at an unknown slurm.conf key with a suggestion from the real key list', () => {
    const slurm = BASE_FILES['conf/scheduler/slurm.yaml']!.replace('SchedulerType:', 'SchedulerTyp:');
    const [d] = compose([], { 'conf/scheduler/slurm.yaml': slurm }).diagnostics;
    expect(formatDiagnostic(d!)).toBe(
      'conf/scheduler/slurm.yaml:2:1: error: scheduler.SchedulerTyp: unknown slurm.conf key "SchedulerTyp"; did you mean "SchedulerType"?',
    );
  });

  it('accepts real slurm.conf keys in any case and checks SchedulerParameters sub-keys', () => {
    const slurm = `${BASE_FILES['conf/scheduler/slurm.yaml']}  bf_windw: 10\nprioritytype: priority/basic\n`;
    const ds = compose([], { 'conf/scheduler/slurm.yaml': slurm }).diagnostics;
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ line: 6, column: 3, keyPath: 'scheduler.SchedulerParameters.bf_windw', hint: 'did you mean "bf_window"?' });
  });

  it('suggests the existing key when a command-line override names a missing one', () => {
    const [d] = compose(['scheduler.SchedulerParameters.bf_windw=60']).diagnostics;
    expect(d).toMatchObject({ file: 'command line', keyPath: 'scheduler.SchedulerParameters.bf_windw' });
    expect(d?.hint).toContain('did you mean "scheduler.SchedulerParameters.bf_window"?');
  });

  it('checks slurm.conf integer and boolean keys the way the slurm.conf parser reads them', () => {
    const ok = compose(['+scheduler.PriorityWeightAge="100"', '+scheduler.PriorityFavorSmall=YES']).diagnostics;
    expect(ok).toEqual([]);
    const bad = compose(['+scheduler.PriorityWeightAge=-5', '+scheduler.PriorityFavorSmall=maybe']).diagnostics;
    expect(bad.map((d) => [d.keyPath, d.expected, d.found])).toEqual([
      ['scheduler.PriorityWeightAge', 'unsigned integer', '-5'],
      ['scheduler.PriorityFavorSmall', 'YES or NO', '"maybe"'],
    ]);
  });

  it('names the allowed kinds when a group has an unknown kind', () => {
    const [d] = compose(['provider.kind=nets']).diagnostics;
    expect(d).toMatchObject({ keyPath: 'provider.kind', message: 'unknown kind', expected: 'one of sim, netns, libvirt, ssh', found: '"nets"', hint: 'did you mean "netns"?' });
  });

  it('warns about slurm.conf keys the parser accepts but the 22.05 documentation dropped', () => {
    const ds = compose(['+scheduler.FastSchedule=1']).diagnostics;
    expect(ds).toMatchObject([{ severity: 'warning', keyPath: 'scheduler.FastSchedule' }]);
  });

  it('reports a wrong type with expected and found', () => {
    const topo = BASE_FILES['conf/topology/small.yaml']!.replace('count: 4', 'count: four');
    const [d] = compose([], { 'conf/topology/small.yaml': topo }).diagnostics;
    expect(d).toMatchObject({ file: 'conf/topology/small.yaml', line: 3, keyPath: 'topology.compute_nodes.count', expected: 'number', found: '"four"' });
  });

  it('reports a YAML syntax error with its position', () => {
    const [d] = compose([], { 'conf/scheduler/flux.yaml': 'kind: flux\nqueue-policy: [easy\n' , 'conf/config.yaml': BASE_FILES['conf/config.yaml']!.replace('scheduler: slurm', 'scheduler: flux') }).diagnostics;
    expect(d?.file).toBe('conf/scheduler/flux.yaml');
    expect(d?.message).toMatch(/^YAML syntax error/);
    expect(d?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports an interpolation cycle naming the keys in it', () => {
    const cfg = `${BASE_FILES['conf/config.yaml']}budget:\n  cpus: \${budget.memory_gib}\n  memory_gib: \${budget.cpus}\n`;
    const ds = compose([], { 'conf/config.yaml': cfg }).diagnostics;
    const cycle = ds.filter((d) => d.message.startsWith('interpolation cycle'));
    expect(cycle).toHaveLength(1);
    expect(cycle[0]?.message).toContain('budget.cpus -> budget.memory_gib -> budget.cpus');
    expect(cycle[0]).toMatchObject({ file: 'conf/config.yaml', line: 14 });
  });

  it('reports a reference to a missing key and an unset env var without default', () => {
    const ds = compose(['+scheduler.ClusterName=${topology.nodes}', '+scheduler.SlurmUser=${env:NOPE_X}']).diagnostics;
    expect(ds.map((d) => d.message)).toEqual([
      'interpolation ${topology.nodes} refers to a missing key',
      'environment variable NOPE_X is not set and has no default',
    ]);
  });

  it('reports every error at once, across files and the command line', () => {
    const slurm = BASE_FILES['conf/scheduler/slurm.yaml']!.replace('SchedulerType:', 'SchedulerTyp:');
    const topo = `${BASE_FILES['conf/topology/small.yaml']!.replace('count: 4', 'count: -1')}netwrk: {}\n`;
    const ds = compose(['workload=mixd', 'seed=abc', 'bogus'], { 'conf/scheduler/slurm.yaml': slurm, 'conf/topology/small.yaml': topo }).diagnostics;
    expect(ds.map((d) => d.keyPath ?? d.message).sort()).toEqual(
      ['bad override "bogus": expected key=value', 'scheduler.SchedulerTyp', 'seed', 'topology.compute_nodes.count', 'topology.netwrk', 'workload'].sort(),
    );
  });

  it('reports each mistake once even when many sweep points share it', () => {
    const slurm = BASE_FILES['conf/scheduler/slurm.yaml']!.replace('SchedulerType:', 'SchedulerTyp:');
    const { sweep, diagnostics } = compose(['seed=1,2,3'], { 'conf/scheduler/slurm.yaml': slurm });
    expect(sweep.points).toHaveLength(3);
    expect(diagnostics).toHaveLength(1);
  });
});

describe('composeConfig: errors a user can act on', () => {
  it('rejects an empty group choice (scheduler=) instead of composing points without a scheduler', () => {
    const { diagnostics } = compose(['scheduler=']);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'command line: error: scheduler: a config group needs an option (expected one of flux, slurm, found nothing); use ~scheduler to drop the group',
    ]);
  });

  it('says a point has no scheduler when the group is dropped', () => {
    const { diagnostics } = compose(['~scheduler']);
    expect(diagnostics).toMatchObject([{ keyPath: 'scheduler', message: 'no scheduler chosen', found: 'nothing' }]);
  });

  it('says for which points a key is unknown when it is valid for the others', () => {
    const { diagnostics } = compose(['scheduler=slurm,flux', '+scheduler.SchedulerTimeSlice=30']);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'command line: error: scheduler.SchedulerTimeSlice: unknown key "SchedulerTimeSlice" (at the points with scheduler=flux)',
    ]);
  });

  it('reports a misspelled key once across points whose checks word it differently, keeping the hint', () => {
    const { diagnostics } = compose(['scheduler=slurm,flux', 'scheduler.SchedulerTyp=x']);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.hint).toContain('did you mean "scheduler.SchedulerType"?');
    const added = compose(['scheduler=slurm,flux', '+scheduler.SchedulerTyp=x']).diagnostics;
    expect(added.map(formatDiagnostic)).toEqual([
      'command line: error: scheduler.SchedulerTyp: unknown slurm.conf key "SchedulerTyp"; did you mean "SchedulerType"?',
    ]);
  });

  it('says in plain words what a bound expects (repetitions=0)', () => {
    expect(compose(['repetitions=0']).diagnostics.map(formatDiagnostic)).toEqual([
      'command line: error: repetitions: too small (expected a number > 0, found 0)',
    ]);
  });

  it('says what a nested value of the wrong type should have been', () => {
    expect(compose(['scheduler.SchedulerParameters.bf_window=[1, 2]']).diagnostics.map(formatDiagnostic)).toEqual([
      'command line: error: scheduler.SchedulerParameters.bf_window: wrong type (expected string | number | boolean, found [1,2])',
    ]);
  });
});

describe('composeConfig: the project conf/', () => {
  it('composes without errors and expands full_matrix to 27 points times repetitions', () => {
    const { sweep, diagnostics } = composeConfig({ root: REPO, overrides: ['repetitions=1'], env: {} });
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(sweep.points).toHaveLength(27);
    expect(sweep.points.map((p) => p.id)).toContain('medium-slurm-mixed-r0');
  });

  it('validates every option of every group', () => {
    const groups = ['topology=small,medium,large', 'image=debian,nixos,none', 'workload=cpu_intensive,gpu_intensive,mixed,trace_hpc2n,trace_lublin'];
    // Every scheduler on the simulator, and every provider with the scheduler built for all of them.
    for (const pair of [['scheduler=slurm,flux,kubernetes', 'provider=sim'], ['scheduler=slurm', 'provider=sim,netns,libvirt,ssh']]) {
      const { sweep, diagnostics } = composeConfig({ root: REPO, overrides: ['experiment=none', 'repetitions=1', ...groups, ...pair], env: {} });
      expect(diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(sweep.points).toHaveLength(3 * 3 * 5 * (pair[0] === 'scheduler=slurm' ? 4 : 3));
    }
  });
});
