import { describe, expect, it } from 'vitest';
import { pollLimitsS, slurmBenchOptions } from '../../../../../src/hpc/backends/slurm/index.js';
import { SlurmSchedulerSchema } from '../../../../../src/hpc/config/schema.js';
import { schedulerFor } from '../../../../../src/hpc/backends/registry.js';

describe('slurm backend options', () => {
  it('defaults to sleep payloads, 1 s samples, 60 s to come up, no memory requests', () => {
    expect(slurmBenchOptions({ kind: 'slurm' })).toEqual({ payload: 'sleep', sampleIntervalS: 1, readyTimeoutS: 60, submitMemory: false, pollMinS: undefined, pollMaxS: undefined });
    expect(slurmBenchOptions({ kind: 'slurm', payload: 'stress-ng', sample_interval_s: 0.5, ready_timeout_s: 120, submit_memory: true, poll_min_s: 0.25, poll_max_s: 10 }))
      .toEqual({ payload: 'stress-ng', sampleIntervalS: 0.5, readyTimeoutS: 120, submitMemory: true, pollMinS: 0.25, pollMaxS: 10 });
  });

  it('polls squeue from 0.5 s up to 5 s on its own cluster, from 2 s on one it does not manage', () => {
    const none = { pollMinS: undefined, pollMaxS: undefined };
    expect(pollLimitsS(none, false)).toEqual({ minS: 0.5, maxS: 5 });
    expect(pollLimitsS(none, true)).toEqual({ minS: 2, maxS: 5 });
    expect(pollLimitsS({ pollMinS: 8, pollMaxS: undefined }, false)).toEqual({ minS: 8, maxS: 8 });
    expect(pollLimitsS({ pollMinS: undefined, pollMaxS: 1 }, true)).toEqual({ minS: 1, maxS: 1 });
  });

  it('leaves the values it cannot use to the schema, which names the key', () => {
    // The backend takes the config as validated; these are the values it used to re-check itself.
    const located = (config: Record<string, unknown>) => SlurmSchedulerSchema.safeParse({ kind: 'slurm', ...config }).error?.issues.map((i) => i.path.join('.'));
    expect(located({ payload: 'hpl' })).toEqual(['payload']);
    expect(located({ sample_interval_s: 0 })).toEqual(['sample_interval_s']);
    expect(located({ ready_timeout_s: -5 })).toEqual(['ready_timeout_s']);
    expect(located({ poll_min_s: -1 })).toEqual(['poll_min_s']);
    expect(located({ submit_memory: 'yes' })).toEqual(['submit_memory']);
  });

  it('checks the poll bounds in the config, where the error has a location', () => {
    expect(SlurmSchedulerSchema.safeParse({ kind: 'slurm', poll_min_s: 0.25, poll_max_s: 4 }).success).toBe(true);
    const bad = SlurmSchedulerSchema.safeParse({ kind: 'slurm', poll_min_s: 2, poll_max_s: 1 });
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['poll_max_s', 'poll_max_s must be at least poll_min_s (2)']]);
  });

  it('is the scheduler for slurm on every provider with real hosts', async () => {
    for (const p of ['netns', 'libvirt', 'ssh']) expect(((await schedulerFor(p, 'slurm')) as { kind: string }).kind).toBe('slurm');
    expect(await schedulerFor('netns', 'flux')).toMatch(/not built yet/);
  });
});
