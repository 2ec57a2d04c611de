/**
 * Discrete-event simulation of a batch scheduler on a cluster of nodes. Deterministic: the same
 * jobs and policy give the same schedule. The scheduler knows each job's requested walltime, not
 * its runtime; a job that reaches its walltime is killed (state `timeout`). At each event time,
 * jobs that end are taken off first, then arrivals join the queue, then one scheduling pass runs.
 *
 * - `fcfs`: start jobs in priority order; stop at the first that does not fit.
 * - `easy` (Mu'alem & Feitelson 2001): as fcfs, then the first blocked job gets a reservation at
 *   the shadow time (the earliest time enough resources free up, by walltime estimates); a later
 *   job may start now if it fits and either ends by the shadow time or uses only the extra
 *   resources — what is left at the shadow time, once every running job estimated to end by then
 *   has ended and the reserved job is placed.
 * - `conservative`: every waiting job in priority order holds a reservation at its earliest
 *   feasible time on an availability profile; see conservative.ts.
 *
 * `reservation: 'pool'` counts cores and GPUs as pools when reserving (the processor model of
 * the literature); `'nodes'` (the default) reserves specific nodes, as SLURM does.
 */
import type { JobSpec } from '../workload/job.js';
import { easyBackfillList, easyBackfillRanked, type Pass } from './backfill.js';
import { Conservative, type ReservationModel } from './conservative.js';
import { JobQueue, NONE } from './job-queue.js';
import { JobRecords } from './job-records.js';
import { MinHeap } from './min-heap.js';
import { NodeState, type Allocation, type PlacementRule } from './placement.js';
import { arrivalRanks, priorityOrder, staticRanks, type PriorityConfig } from './priority.js';
import { Projection } from './projection.js';
import { Reservation } from './reservation.js';
import { RunningSet } from './running-set.js';
import { SeriesRecorder, type SimSeries } from './series-recorder.js';
import { nodeCountOf } from './unit-nodes.js';

export interface SimPolicy {
  queue: 'fcfs' | 'easy' | 'conservative';
  priority: PriorityConfig;
  placement: PlacementRule;
  /** Queued jobs examined per backfill pass (SLURM bf_max_job_test). */
  backfillDepth: number;
  /** Conservative only: how far ahead reservations are planned, seconds (SLURM bf_window). */
  backfillWindow?: number;
  /** How EASY and conservative reservations hold resources; `nodes` when not given. */
  reservation?: ReservationModel;
}

export interface SimNodeSpec {
  cores: number;
  gpus: number;
}

/** Scheduler-level view of a run. */
export type { SimSeries } from './series-recorder.js';
export { JobRecords } from './job-records.js';

export interface SimResult {
  /** The started jobs' records in arrival order, as columns; `at(i)` or iterating gives objects. */
  jobs: JobRecords;
  series: SimSeries;
  /** Idle core-seconds while some waiting job would have fit by count, over total core-seconds. */
  fragmentation: number;
  backfilled: number;
}

/** Watches a run without taking part in it: called as each job starts, with where it runs. */
export interface SimObserver {
  onStart?(job: JobSpec, alloc: Allocation, t: number): void;
  /** A reservation was made at time `now` for the job to start at `start` (EASY: the blocked head's shadow time). */
  onReserve?(job: JobSpec, start: number, now: number): void;
}

/**
 * Runs the jobs through the policy on the nodes. The waiting queue is indexed by rank (job-queue),
 * the running jobs are kept in release order (running-set) and EASY's look ahead is updated as
 * jobs start and end (projection), so an event costs about log(queue) plus the work of the jobs
 * it starts, ends or could backfill — not a walk over every waiting or running job.
 */
export function simulate(specs: readonly JobSpec[], nodes: readonly SimNodeSpec[], policy: SimPolicy, observer?: SimObserver): SimResult {
  const state = new NodeState(Int32Array.from(nodes.map((n) => n.cores)), Int32Array.from(nodes.map((n) => n.gpus)));
  const totalCores = state.totalFreeCores;
  const totalGpus = state.totalFreeGpus;
  const jobs = byArrival(specs);
  // Per job: 0 not started, 1 started, 2 started as a backfill; the nodes it got and when it
  // ends. With the running set's start, cores and GPUs these are the records' columns.
  const started = new Uint8Array(jobs.length);
  const nodeCount = new Int32Array(jobs.length);
  const endAt = new Float64Array(jobs.length);
  const ends = new MinHeap();
  const running = new RunningSet(jobs.length, policy.queue === 'easy');
  const series = new SeriesRecorder(2 * jobs.length + 1);
  const order = priorityOrder(policy.priority, jobs, totalCores);
  const ranks = staticRanks(policy.priority, jobs);
  const queue = new JobQueue(jobs, ranks ?? arrivalRanks(jobs.length), policy.queue !== 'fcfs');
  const projection = policy.queue === 'easy' ? new Projection(state, running, policy.reservation === 'pool') : undefined;
  const cons = policy.queue === 'conservative' ? new Conservative(jobs, state, policy.reservation ?? 'nodes', ranks) : undefined;
  let next = 0;
  let backfilled = 0;
  let fragArea = 0;
  let lastT = jobs[0]?.submit ?? 0;
  let fragNow = 0;

  const start = (j: number, alloc: Allocation, t: number, isBackfill: boolean) => {
    const spec = jobs[j] as JobSpec;
    state.take(alloc);
    const end = t + Math.min(spec.runtime, spec.walltime);
    const at = running.add(j, alloc, t, t + spec.walltime);
    projection?.started(j, at, alloc);
    ends.push(end, j);
    endAt[j] = end;
    order.started(j, t);
    if (isBackfill) backfilled++;
    observer?.onStart?.(spec, alloc, t);
    queue.remove(j);
    started[j] = isBackfill ? 2 : 1;
    nodeCount[j] = nodeCountOf(alloc);
  };
  const end = (j: number, t: number) => {
    const alloc = running.alloc[j] as Allocation;
    cons?.ended(t, running.estEnd[j] as number, alloc, running.cores[j] as number, running.gpus[j] as number);
    const at = running.remove(j);
    state.release(alloc);
    projection?.ended(j, at, alloc);
  };
  const pass: Pass = { queue, t: lastT, policy, state, scratch: state.clone(), projection, cons, jobs, running, start, observer, reservation: new Reservation(), reservedHead: -1, reservedVersion: -1 };

  while (next < jobs.length || ends.size > 0 || (cons !== undefined && cons.nextWake() < Infinity)) {
    const tArr = next < jobs.length ? (jobs[next] as JobSpec).submit : Infinity;
    const t = Math.min(tArr, ends.size > 0 ? ends.peekKey() : Infinity, cons ? cons.nextWake() : Infinity);
    if (t === Infinity) break;
    fragArea += fragNow * (t - lastT);
    lastT = t;
    while (ends.size > 0 && ends.peekKey() <= t) end(ends.pop(), t);
    for (; next < jobs.length && (jobs[next] as JobSpec).submit <= t; next++) {
      queue.add(next);
      cons?.arrived(next);
    }
    pass.t = t;
    if (ranks) scheduleRanked(pass);
    else scheduleSorted(pass, order.sort(queue.live(), t));
    fragNow = queue.anyFitsByCount(state.totalFreeCores, state.totalFreeGpus) ? state.totalFreeCores : 0;
    series.add(t, queue.length, totalCores - state.totalFreeCores, totalGpus - state.totalFreeGpus);
  }
  const done = new JobRecords(jobs, started, running.start, endAt, running.cores, running.gpus, nodeCount);
  const first = jobs[0]?.submit ?? 0;
  const makespan = done.lastEnd(0) - first;
  return { jobs: done, series: series.finish(), fragmentation: makespan > 0 ? fragArea / (totalCores * makespan) : 0, backfilled };
}

/** The jobs by submit time, then id; traces and generators give them so, and then no sort is needed. */
function byArrival(specs: readonly JobSpec[]): JobSpec[] {
  let sorted = true;
  for (let i = 1; i < specs.length && sorted; i++) {
    const a = specs[i - 1] as JobSpec;
    const b = specs[i] as JobSpec;
    sorted = a.submit < b.submit || (a.submit === b.submit && a.id <= b.id);
  }
  return sorted ? specs.slice() : [...specs].sort((a, b) => a.submit - b.submit || a.id - b.id);
}

/** One pass over a queue in a fixed order: start jobs until one does not fit, then backfill. */
function scheduleRanked(p: Pass): void {
  if (p.cons) return p.cons.pass(p, undefined);
  let r = p.queue.nextWaiting(0);
  for (; r !== NONE; r = p.queue.nextWaiting(r + 1)) {
    const j = p.queue.jobAtRank(r);
    const alloc = p.state.place(p.jobs[j] as JobSpec, p.policy.placement);
    if (!alloc) break;
    p.start(j, alloc, p.t, false);
  }
  if (p.policy.queue === 'easy' && r !== NONE) easyBackfillRanked(p, r);
}

/** The same pass over a list sorted for this event. */
function scheduleSorted(p: Pass, list: number[]): void {
  if (p.cons) return p.cons.pass(p, list);
  let head: number | undefined;
  for (const j of list) {
    const alloc = p.state.place(p.jobs[j] as JobSpec, p.policy.placement);
    if (!alloc) {
      head = j;
      break;
    }
    p.start(j, alloc, p.t, false);
  }
  if (p.policy.queue === 'easy' && head !== undefined) easyBackfillList(p, head, list);
}
