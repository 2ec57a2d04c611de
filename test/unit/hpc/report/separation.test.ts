import { describe, expect, it } from 'vitest';
import { costMetrics, withCostObjective } from '../../../../src/hpc/report/cost-metrics.js';
import { clippedInterval } from '../../../../src/hpc/report/metric-units.js';
import { paddedRange, ticks } from '../../../../src/hpc/report/plot-axes.js';
import { judgeLeader, overlaps, repsToSeparate, t975 } from '../../../../src/hpc/report/separation.js';

describe('telling the leader apart', () => {
  // The numbers: large cpu_intensive makespan at 3 repetitions.
  const flux = { mean: 10825, ci95: 1832, reps: 3 };
  const kube = { mean: 11038, ci95: 2256, reps: 3 };
  const slurm = { mean: 12166, ci95: 2741, reps: 3 };

  it('finds no winner when the intervals overlap and estimates the repetitions that would separate them', () => {
    const v = judgeLeader([slurm, kube, flux], { metric: 'makespan', direction: 'min' });
    expect(v?.leader).toBe(2);
    expect(v?.tied).toEqual([1, 0]);
    // s = h·√3 / t(2): flux 737.4, kube 908.1; gap 213 → n with 1.96-ish·(737+908)/√n < 213 needs n in the hundreds.
    expect(v?.repsNeeded).toBeGreaterThan(200);
    expect(v?.repsNeeded).toBeLessThan(300);
  });

  it('separates quickly when the gap is wide, and the estimate really separates the intervals', () => {
    const a = { mean: 100, ci95: 30, reps: 3 };
    const b = { mean: 160, ci95: 40, reps: 3 };
    expect(overlaps(a, b)).toBe(true);
    const n = repsToSeparate(a, b) as number;
    const h = (e: typeof a) => (t975(n - 1) * (e.ci95 * Math.sqrt(3)) / t975(2)) / Math.sqrt(n);
    expect(h(a) + h(b)).toBeLessThan(60);
    const m = n - 1;
    const hm = (e: typeof a) => (t975(m - 1) * (e.ci95 * Math.sqrt(3)) / t975(2)) / Math.sqrt(m);
    expect(hm(a) + hm(b)).toBeGreaterThanOrEqual(60);
  });

  it('declares a winner whose interval is clear of the others', () => {
    const v = judgeLeader([{ mean: 0.9, ci95: 0.01, reps: 3 }, { mean: 0.5, ci95: 0.01, reps: 3 }], { metric: 'utilization', direction: 'max' });
    expect(v).toMatchObject({ leader: 0, tied: [] });
  });

  it('cannot estimate from one repetition', () => {
    expect(repsToSeparate({ mean: 1, ci95: NaN, reps: 1 }, { mean: 2, ci95: NaN, reps: 1 })).toBeUndefined();
  });
});

describe('cost and axes', () => {
  it('charges the reserved capacity for the whole makespan', () => {
    expect(costMetrics(7200, 4, 8)).toEqual({ node_hours: 8, core_hours: 64 });
    expect(withCostObjective([{ metric: 'makespan', direction: 'min' }], 'node_hours').at(-1)).toEqual({ metric: 'node_hours', direction: 'min' });
    expect(withCostObjective([{ metric: 'makespan', direction: 'min' }], 'none')).toHaveLength(1);
  });

  it('keeps fractions inside [0, 1]: intervals and axis ranges are cut at the bounds', () => {
    expect(clippedInterval('utilization', { mean: 0.95, ci95: 0.2 })).toEqual([0.75, 1]);
    const [lo, hi] = paddedRange([0.75, 1, 0.4], { lo: 0, hi: 1 });
    expect(hi).toBe(1);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ticks(lo, hi))).toBeLessThanOrEqual(1);
  });
});
