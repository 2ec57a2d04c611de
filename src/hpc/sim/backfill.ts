/**
 * What a scheduling pass works on, and EASY backfilling: once the queue head is blocked, later
 * jobs may start if they end before the head's shadow time or fit in the extra resources. See
 * simulate.ts for the policies, conservative.ts for conservative backfilling.
 */
import type { JobSpec } from '../workload/job.js';
import { NONE, type JobQueue } from './job-queue.js';
import type { Conservative } from './conservative.js';
import type { Allocation, NodeState } from './placement.js';
import type { Projection } from './projection.js';
import { reserve, type Reservation } from './reservation.js';
import type { RunningSet } from './running-set.js';
import type { SimObserver, SimPolicy } from './simulate.js';

/** What one scheduling pass at time `t` works on. */
export interface Pass {
  queue: JobQueue;
  t: number;
  policy: SimPolicy;
  state: NodeState;
  /** Scratch state: what is left at the shadow time (EASY), a window's free nodes (conservative). */
  scratch: NodeState;
  /** EASY only: the free resources once some of the running jobs have ended. */
  projection: Projection | undefined;
  /** Conservative only: the plan kept from event to event. */
  cons: Conservative | undefined;
  jobs: readonly JobSpec[];
  running: RunningSet;
  start: (j: number, alloc: Allocation, t: number, backfill: boolean) => void;
  observer?: SimObserver | undefined;
  /** EASY: the last reservation, filled again for each new one, and the head and state version it was worked out for (-1: none yet). */
  reservation: Reservation;
  reservedHead: number;
  reservedVersion: number;
}

/**
 * The head's reservation. Every start and end changes the state's version, so while it stands
 * (an event that only brought arrivals, after a pass that started nothing) the last one holds.
 */
function reservationFor(p: Pass, headJob: number): Reservation {
  const res = p.reservation;
  if (p.reservedHead === headJob && p.reservedVersion === p.state.version) return res;
  reserve(p, p.jobs[headJob] as JobSpec, res);
  if (res.shadow < Infinity) p.observer?.onReserve?.(p.jobs[headJob] as JobSpec, res.shadow, p.t);
  p.reservedHead = headJob;
  p.reservedVersion = p.state.version;
  return res;
}

/** Starts job j now if it ends before the shadow time or fits in the extra resources. */
function tryBackfill(p: Pass, j: number, res: Reservation): void {
  const spec = p.jobs[j] as JobSpec;
  let alloc = p.t + spec.walltime <= res.shadow ? p.state.place(spec, p.policy.placement) : undefined;
  let usesExtra = false;
  if (!alloc && res.fits && spec.cores <= res.totalExtraCores && spec.gpus <= res.totalExtraGpus) {
    alloc = res.pool ? p.state.place(spec, p.policy.placement) : p.state.place(spec, p.policy.placement, res.extra());
    usesExtra = alloc !== undefined;
  }
  if (!alloc) return;
  p.start(j, alloc, p.t, true);
  if (usesExtra) res.takeExtra(alloc);
}

/**
 * EASY over a ranked queue whose head (the first waiting job) is blocked. The pass examines the
 * `backfillDepth` waiting jobs after the head, counting those that cannot fit, as SLURM's
 * bf_max_job_test does. Only jobs that might start are visited, found through the queue's index:
 * they fit the free cores and either end before the shadow time or fit the extra cores. The
 * reservation is worked out only if some job fits the free cores at all.
 */
export function easyBackfillRanked(p: Pass, headRank: number): void {
  const depth = Number.isNaN(p.policy.backfillDepth) ? Infinity : Math.floor(p.policy.backfillDepth);
  if (depth < 1 || p.state.totalFreeCores === 0) return;
  const last = p.queue.kth(depth + 1);
  const to = last === NONE ? Infinity : last;
  const first = p.queue.nextFitting(headRank + 1, p.state.totalFreeCores);
  if (first === NONE || first > to) return;
  const res = reservationFor(p, p.queue.jobAtRank(headRank));
  const next = (from: number) => {
    const free = p.state.totalFreeCores;
    const anyCores = res.fits ? Math.min(free, res.totalExtraCores) : -Infinity;
    return p.queue.nextCandidate(from, to, anyCores, free, p.t, res.shadow);
  };
  for (let r = next(first); r !== NONE; r = next(r + 1)) {
    const j = p.queue.jobAtRank(r);
    if ((p.jobs[j] as JobSpec).gpus <= p.state.totalFreeGpus) tryBackfill(p, j, res);
    if (p.state.totalFreeCores === 0) return;
  }
}

/** EASY over a list sorted for this pass (orders whose priorities move while jobs wait). */
export function easyBackfillList(p: Pass, headJob: number, list: readonly number[]): void {
  let res: Reservation | undefined;
  let tested = 0;
  for (const j of list) {
    if (j === headJob || !p.queue.has(j)) continue;
    if (++tested > p.policy.backfillDepth || p.state.totalFreeCores === 0) break;
    const spec = p.jobs[j] as JobSpec;
    if (spec.cores > p.state.totalFreeCores || spec.gpus > p.state.totalFreeGpus) continue;
    // Nothing has started in this pass before the first try, so the reservation is as at its start.
    res ??= reservationFor(p, headJob);
    tryBackfill(p, j, res);
  }
}
