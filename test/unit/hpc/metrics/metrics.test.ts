import { describe, expect, it } from 'vitest';
import { aggregateRepetitions, computeRunMetrics, jainIndex, quantile } from '../../../../src/hpc/metrics/index.js';
import type { JobRecord } from '../../../../src/hpc/workload/job.js';

const rec = (id: number, user: string, submit: number, start: number, end: number, cores = 1, state: JobRecord['state'] = 'completed'): JobRecord =>
  ({ id, user, submit, start, end, cores, nodes: 1, gpus: 0, state, backfilled: false });

describe('computeRunMetrics', () => {
  // A: w 0, r 100 -> bsld 1. B: w 50, r 10 -> 6. C: w 3, r 2 -> (3+2)/max(2,10) = 0.5 -> bounded to 1.
  const jobs = [rec(1, 'u1', 0, 0, 100), rec(2, 'u2', 0, 50, 60), rec(3, 'u2', 10, 13, 15)];
  const m = computeRunMetrics(jobs, 2);

  it('computes every metric as defined', () => {
    expect(m.makespan).toBe(100);
    expect(m.wait_mean).toBeCloseTo(53 / 3, 10);
    expect(m.wait_median).toBe(3);
    expect(m.wait_p95).toBeCloseTo(3 + 0.9 * 47, 10);
    expect(m.bsld_mean).toBeCloseTo((1 + 6 + 1) / 3, 10);
    expect(m.utilization).toBeCloseTo((100 + 10 + 2) / (2 * 100), 10);
    expect(m.throughput).toBeCloseTo(3 / 100 * 3600, 10);
    // users' mean bsld: u1 1, u2 (6 + 1) / 2 = 3.5
    expect(m.fairness).toBeCloseTo((1 + 3.5) ** 2 / (2 * (1 + 3.5 ** 2)), 10);
  });

  it('counts jobs killed at their limit and leaves failed and cancelled jobs out', () => {
    const withOthers = [...jobs, rec(4, 'u3', 0, 0, 500, 1, 'failed'), rec(5, 'u3', 0, 0, 400, 1, 'cancelled')];
    expect(computeRunMetrics(withOthers, 2)).toEqual(m);
    const killed = computeRunMetrics([rec(1, 'u1', 0, 0, 100, 1, 'timeout')], 1);
    expect(killed.makespan).toBe(100);
  });

  it('gives NaN, not zeros, when no job finished', () => {
    expect(computeRunMetrics([rec(1, 'u', 0, 0, 5, 1, 'failed')], 1).makespan).toBeNaN();
  });
});

describe('helpers', () => {
  it('Jain index is 1 for equal shares and 1/n when one user takes all', () => {
    expect(jainIndex([2, 2, 2])).toBe(1);
    expect(jainIndex([5, 0, 0, 0])).toBe(0.25);
  });

  it('quantile interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('aggregates repetitions with a Student-t 95% interval', () => {
    const a = aggregateRepetitions([1, 2, 3]);
    expect(a.mean).toBe(2);
    expect(a.ci95).toBeCloseTo(4.303 / Math.sqrt(3), 3);
    expect(aggregateRepetitions([4]).ci95).toBeNaN();
  });
});
