/**
 * Run metrics, exactly as the README defines them, from a jobs table. Jobs that count are the
 * finished ones: `completed`, and `timeout` (killed at their time limit, they held their cores
 * until then). Failed and cancelled jobs are left out of every metric.
 */
import type { JobRecord } from '../workload/job.js';

export const METRIC_NAMES = ['makespan', 'wait_mean', 'wait_median', 'wait_p95', 'bsld_mean', 'utilization', 'throughput', 'fairness'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The definitions the report prints, one place for README and report alike. */
export const METRIC_DEFINITIONS: { name: MetricName; formula: string }[] = [
  { name: 'makespan', formula: 'max(end) − min(submit), seconds, over finished jobs (completed or killed at their time limit)' },
  { name: 'wait_mean', formula: 'mean of w = start − submit, seconds' },
  { name: 'wait_median', formula: 'median of w (linear interpolation between order statistics)' },
  { name: 'wait_p95', formula: '95th percentile of w (linear interpolation between order statistics)' },
  { name: 'bsld_mean', formula: 'mean over finished jobs of bsld = max(1, (w + r) / max(r, 10 s)), r = end − start' },
  { name: 'utilization', formula: 'sum(r × cores) / (total compute cores × makespan)' },
  { name: 'throughput', formula: 'finished jobs / makespan, jobs per hour' },
  { name: 'fairness', formula: "Jain's index J = (Σx)² / (n · Σx²) over users, x = the user's mean bsld" },
];

/** Quantile with linear interpolation between order statistics (R type 7); `sorted` ascending. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Bounded slowdown of one job with the 10 s bound. */
export function boundedSlowdown(wait: number, run: number): number {
  return Math.max(1, (wait + run) / Math.max(run, 10));
}

/** Jain's fairness index of positive values: 1 when all are equal, 1/n when one takes all. */
export function jainIndex(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  let s2 = 0;
  for (const x of xs) {
    s += x;
    s2 += x * x;
  }
  return s2 === 0 ? 1 : (s * s) / (xs.length * s2);
}

/** All metrics of one run; NaN where no job finished. */
export function computeRunMetrics(jobs: readonly JobRecord[], totalCores: number): Record<MetricName, number> {
  const done = jobs.filter((j) => j.state === 'completed' || j.state === 'timeout');
  if (done.length === 0) return Object.fromEntries(METRIC_NAMES.map((m) => [m, Number.NaN])) as Record<MetricName, number>;
  let first = Infinity;
  let last = -Infinity;
  let area = 0;
  let waitSum = 0;
  let bsldSum = 0;
  const waits: number[] = [];
  const perUser = new Map<string, { sum: number; n: number }>();
  for (const j of done) {
    const w = j.start - j.submit;
    const r = j.end - j.start;
    first = Math.min(first, j.submit);
    last = Math.max(last, j.end);
    area += r * j.cores;
    waitSum += w;
    waits.push(w);
    const b = boundedSlowdown(w, r);
    bsldSum += b;
    const u = perUser.get(j.user) ?? { sum: 0, n: 0 };
    u.sum += b;
    u.n++;
    perUser.set(j.user, u);
  }
  waits.sort((a, b) => a - b);
  const makespan = last - first;
  return {
    makespan,
    wait_mean: waitSum / done.length,
    wait_median: quantile(waits, 0.5),
    wait_p95: quantile(waits, 0.95),
    bsld_mean: bsldSum / done.length,
    utilization: makespan > 0 ? area / (totalCores * makespan) : Number.NaN,
    throughput: makespan > 0 ? (done.length / makespan) * 3600 : Number.NaN,
    fairness: jainIndex([...perUser.values()].map((u) => u.sum / u.n)),
  };
}

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean and 95% confidence half-width (Student t, n − 1 dof); the half-width is NaN for one value. */
export function aggregateRepetitions(values: readonly number[]): { mean: number; ci95: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, ci95: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci95: Number.NaN };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  const t = T975[n - 2] ?? 1.96;
  return { mean, ci95: (t * Math.sqrt(variance)) / Math.sqrt(n) };
}
