/**
 * Whether the best point on an objective is really better than the next ones, at the repetitions
 * run: two means whose 95% confidence intervals overlap are not told apart. When they overlap,
 * estimate how many repetitions would make the intervals disjoint, assuming each point's standard
 * deviation stays what it is: the half-width h = t(n−1) · s / √n shrinks with n through both √n
 * and the Student t quantile.
 */
import type { Objective } from '../pareto/rank-points.js';

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Student t 97.5% quantile for `dof` degrees of freedom (past 30, the normal value corrected by 2.4/dof). */
export function t975(dof: number): number {
  if (dof < 1) return Infinity;
  return T975[dof - 1] ?? 1.96 + 2.4 / dof;
}

/** A point's aggregate on one metric. */
export interface Estimate {
  mean: number;
  ci95: number;
  reps: number;
}

/** The most repetitions an estimate is given as a number; past it, separating is not practical. */
export const MAX_REPS = 1000;

/** Half-width at `n` repetitions for the standard deviation implied by `e`. */
function halfWidthAt(e: Estimate, n: number): number {
  const s = (e.ci95 * Math.sqrt(e.reps)) / t975(e.reps - 1);
  return (t975(n - 1) * s) / Math.sqrt(n);
}

/** True when the two 95% intervals overlap (no interval, e.g. one repetition, counts as overlapping). */
export function overlaps(a: Estimate, b: Estimate): boolean {
  if (!Number.isFinite(a.ci95) || !Number.isFinite(b.ci95)) return true;
  return Math.abs(a.mean - b.mean) <= a.ci95 + b.ci95;
}

/**
 * Repetitions (of both points) at which the intervals would stop overlapping; undefined when the
 * spread cannot be estimated (a single repetition) or it would take more than {@link MAX_REPS}.
 */
export function repsToSeparate(a: Estimate, b: Estimate): number | undefined {
  if (a.reps < 2 || b.reps < 2 || !Number.isFinite(a.ci95) || !Number.isFinite(b.ci95)) return undefined;
  const gap = Math.abs(a.mean - b.mean);
  for (let n = Math.max(a.reps, b.reps); n <= MAX_REPS; n++) {
    if (halfWidthAt(a, n) + halfWidthAt(b, n) < gap) return n;
  }
  return undefined;
}

/** The leader on one objective and the points it cannot be told apart from. */
export interface Verdict {
  objective: Objective;
  leader: number;
  /** Indices (into the input) whose intervals overlap the leader's, best first. */
  tied: number[];
  /** Repetitions that would separate the leader from the closest tied point, if estimable. */
  repsNeeded: number | undefined;
}

/** Orders the candidates on `objective` and says whether the best one is a clear winner. */
export function judgeLeader(candidates: readonly (Estimate | undefined)[], objective: Objective): Verdict | undefined {
  const sign = objective.direction === 'min' ? 1 : -1;
  const order = candidates
    .map((e, i) => ({ e, i }))
    .filter((x): x is { e: Estimate; i: number } => x.e !== undefined && Number.isFinite(x.e.mean))
    .sort((x, y) => sign * (x.e.mean - y.e.mean));
  const first = order[0];
  if (!first) return undefined;
  const tied = order.slice(1).filter((x) => overlaps(first.e, x.e));
  const closest = tied[0];
  return { objective, leader: first.i, tied: tied.map((x) => x.i), repsNeeded: closest ? repsToSeparate(first.e, closest.e) : undefined };
}
