import { describe, expect, it } from 'vitest';
import { hashConfig } from '../../../../src/engine/config/point-id.js';
import type { ComposedSweep, SweepPoint } from '../../../../src/engine/config/sweep-point.js';
import { takeExecutorConfig } from '../../../../src/hpc/executor/take-executor-config.js';

const slurm = { kind: 'slurm', provider: 'netns', hosts: 3 };

function point(id: string, config: Record<string, unknown>): SweepPoint {
  return { id, rep: 0, config, overrides: ['executor=slurm', 'executor.hosts=3', 'seed=1'], configHash: hashConfig(config), choices: { executor: 'slurm', topology: 'small' }, swept: {} };
}

describe('takeExecutorConfig', () => {
  it('takes the executor out of every point, so hashes are those of a config without it', () => {
    const sweep: ComposedSweep = { base: { seed: 1, executor: slurm }, points: [point('a-r0', { seed: 1, executor: slurm }), point('b-r0', { seed: 2, executor: slurm })] };
    const r = takeExecutorConfig(sweep);
    expect(r.executor).toEqual(slurm);
    expect(r.diagnostics).toEqual([]);
    expect(r.sweep.base).toEqual({ seed: 1 });
    expect(r.sweep.points.map((p) => p.config)).toEqual([{ seed: 1 }, { seed: 2 }]);
    expect(r.sweep.points.map((p) => p.configHash)).toEqual([hashConfig({ seed: 1 }), hashConfig({ seed: 2 })]);
    expect(r.sweep.points[0]?.choices).toEqual({ topology: 'small' });
    expect(r.sweep.points[0]?.overrides).toEqual(['seed=1']);
  });

  it('is local when the sweep names no executor', () => {
    expect(takeExecutorConfig({ base: {}, points: [point('a-r0', { seed: 1 })] }).executor).toEqual({ kind: 'local' });
  });

  it('refuses a sweep over executors: one run has one', () => {
    const r = takeExecutorConfig({ base: {}, points: [point('a-r0', { executor: slurm }), point('b-r0', { executor: { kind: 'local' } })] });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', keyPath: 'executor' });
  });

  it('wants the login node(s) of an existing cluster as a list, before anything runs', () => {
    const r = takeExecutorConfig({ base: {}, points: [point('a-r0', { executor: { ...slurm, provider: 'ssh' } })] });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', keyPath: 'executor.hosts', found: '3' })]);
    const ok = takeExecutorConfig({ base: {}, points: [point('a-r0', { executor: { ...slurm, provider: 'ssh', hosts: ['login1'] } })] });
    expect(ok.diagnostics).toEqual([]);
  });
});
