import { describe, expect, it } from 'vitest';
import { slurmBenchOptions } from '../../../../src/backends/slurm/index.js';
import { schedulerFor } from '../../../../src/backends/registry.js';

describe('slurm backend options', () => {
  it('defaults to sleep payloads, 1 s samples, 60 s to come up, no memory requests', () => {
    expect(slurmBenchOptions({ kind: 'slurm' })).toEqual({ payload: 'sleep', sampleIntervalS: 1, readyTimeoutS: 60, submitMemory: false });
    expect(slurmBenchOptions({ payload: 'stress-ng', sample_interval_s: 0.5, ready_timeout_s: 120, submit_memory: true }))
      .toEqual({ payload: 'stress-ng', sampleIntervalS: 0.5, readyTimeoutS: 120, submitMemory: true });
  });

  it('refuses values it cannot use', () => {
    expect(() => slurmBenchOptions({ payload: 'hpl' })).toThrow(/scheduler.payload: expected sleep or stress-ng, found hpl/);
    expect(() => slurmBenchOptions({ sample_interval_s: 0 })).toThrow(/scheduler.sample_interval_s/);
  });

  it('is the scheduler for slurm on every provider with real hosts', async () => {
    for (const p of ['netns', 'libvirt', 'ssh']) expect(((await schedulerFor(p, 'slurm')) as { kind: string }).kind).toBe('slurm');
    expect(await schedulerFor('netns', 'flux')).toMatch(/not built yet/);
  });
});
