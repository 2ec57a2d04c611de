import { describe, expect, it } from 'vitest';
import { seriesToHistories } from '../../../../src/hpc/tracking/series-metrics.js';

describe('seriesToHistories', () => {
  it('logs each series as a history: step = event index, timestamp = workload ms', () => {
    const h = seriesToHistories({ t: [0, 1.5, 3], queued: [2, 1, 0], busyCores: [4, 8, 0] });
    expect(h.filter((m) => m.key === 'series.queued_jobs')).toEqual([
      { key: 'series.queued_jobs', value: 2, timestamp: 0, step: 0 },
      { key: 'series.queued_jobs', value: 1, timestamp: 1500, step: 1 },
      { key: 'series.queued_jobs', value: 0, timestamp: 3000, step: 2 },
    ]);
    expect(h.filter((m) => m.key === 'series.busy_cores').map((m) => m.value)).toEqual([4, 8, 0]);
    expect(h.some((m) => m.key === 'series.busy_gpus')).toBe(false);
  });

  it('thins a long series to at most the cap, keeping the first and last events', () => {
    const n = 10_001;
    const t = Array.from({ length: n }, (_, i) => i);
    const h = seriesToHistories({ t, queued: t.map((i) => i % 7) }, 100);
    expect(h).toHaveLength(100);
    expect(h[0]?.step).toBe(0);
    expect(h.at(-1)?.step).toBe(n - 1);
    expect(h.every((m) => m.value === m.step % 7)).toBe(true);
  });
});
