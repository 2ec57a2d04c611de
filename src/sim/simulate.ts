/**
 * Discrete-event simulation of a batch scheduler on a cluster of nodes. Deterministic: the same
 * jobs and policy give the same schedule. The scheduler knows each job's requested walltime, not
 * its runtime; a job that reaches its walltime is killed (state `timeout`).
 *
 * - `fcfs`: start jobs in priority order; stop at the first that does not fit.
 * - `easy` (Mu'alem & Feitelson 2001): as fcfs, then the first blocked job gets a reservation at
 *   the shadow time (the earliest time enough resources free up, by walltime estimates); a later
 *   job may start now if it fits and either ends before the shadow time or uses only the extra
 *   resources — what is left at the shadow time once the reserved job is placed, node by node.
 * - `conservative`: every queued job in priority order gets a reservation at its earliest
 *   feasible time; a job starts now only if that does not delay any earlier reservation. A
 *   planned allocation counts against a node for every window it intersects (a safe bound).
 */
import type { JobRecord, JobSpec } from '../workload/job.js';
import { MinHeap } from './min-heap.js';
import { NodeState, type Allocation, type PlacementRule } from './placement.js';
import { priorityOrder, type PriorityConfig } from './priority.js';
import { JobQueue } from './job-queue.js';

export interface SimPolicy {
  queue: 'fcfs' | 'easy' | 'conservative';
  priority: PriorityConfig;
  placement: PlacementRule;
  /** Queued jobs examined per backfill pass (SLURM bf_max_job_test). */
  backfillDepth: number;
  /** Conservative only: how far ahead reservations are planned, seconds (SLURM bf_window). */
  backfillWindow?: number;
}

export interface SimNodeSpec {
  cores: number;
  gpus: number;
}

/** Scheduler-level view of a run. */
export interface SimSeries {
  t: number[];
  queued: number[];
  busyCores: number[];
  busyGpus: number[];
}

export interface SimResult {
  jobs: JobRecord[];
  series: SimSeries;
  /** Idle core-seconds while some waiting job would have fit by count, over total core-seconds. */
  fragmentation: number;
  backfilled: number;
}

interface Running {
  job: number;
  alloc: Allocation;
  start: number;
  /** The scheduler's estimate: start + walltime. */
  estEnd: number;
}

/** Watches a run without taking part in it: called as each job starts, with where it runs. */
export interface SimObserver {
  onStart?(job: JobSpec, alloc: Allocation, t: number): void;
}

export function simulate(specs: readonly JobSpec[], nodes: readonly SimNodeSpec[], policy: SimPolicy, observer?: SimObserver): SimResult {
  const state = new NodeState(Int32Array.from(nodes.map((n) => n.cores)), Int32Array.from(nodes.map((n) => n.gpus)));
  const totalCores = state.totalFreeCores;
  const totalGpus = state.totalFreeGpus;
  const jobs = [...specs].sort((a, b) => a.submit - b.submit || a.id - b.id);
  const records: (JobRecord | undefined)[] = new Array(jobs.length);
  const ends = new MinHeap();
  const running = new Map<number, Running>();
  const series: SimSeries = { t: [], queued: [], busyCores: [], busyGpus: [] };
  const order = priorityOrder(policy.priority, jobs, totalCores);
  const queue = new JobQueue(jobs);
  let next = 0;
  let backfilled = 0;
  let fragArea = 0;
  let lastT = jobs[0]?.submit ?? 0;
  let fragNow = 0;

  const start = (j: number, alloc: Allocation, t: number, isBackfill: boolean) => {
    const spec = jobs[j] as JobSpec;
    state.take(alloc);
    const end = t + Math.min(spec.runtime, spec.walltime);
    running.set(j, { job: j, alloc, start: t, estEnd: t + spec.walltime });
    ends.push(end, j);
    order.started(j, t);
    if (isBackfill) backfilled++;
    observer?.onStart?.(spec, alloc, t);
    const cores = alloc.cores.reduce((a, b) => a + b, 0);
    const gpus = alloc.gpus.reduce((a, b) => a + b, 0);
    queue.remove(j);
    records[j] = { id: spec.id, user: spec.user, submit: spec.submit, start: t, end, cores, nodes: alloc.nodes.length, gpus, state: spec.runtime > spec.walltime ? 'timeout' : 'completed', backfilled: isBackfill };
  };

  while (next < jobs.length || ends.size > 0) {
    const tArr = next < jobs.length ? (jobs[next] as JobSpec).submit : Infinity;
    const t = Math.min(tArr, ends.size > 0 ? ends.peekKey() : Infinity);
    fragArea += fragNow * (t - lastT);
    lastT = t;
    while (ends.size > 0 && ends.peekKey() <= t) {
      const j = ends.pop();
      state.release((running.get(j) as Running).alloc);
      running.delete(j);
    }
    while (next < jobs.length && (jobs[next] as JobSpec).submit <= t) queue.add(next++);
    schedule({ queue, t, policy, state, jobs, running, order, start });
    fragNow = queue.anyFitsByCount(state.totalFreeCores, state.totalFreeGpus) ? state.totalFreeCores : 0;
    series.t.push(t);
    series.queued.push(queue.length);
    series.busyCores.push(totalCores - state.totalFreeCores);
    series.busyGpus.push(totalGpus - state.totalFreeGpus);
  }
  const done = records.filter((r): r is JobRecord => r !== undefined);
  const first = jobs[0]?.submit ?? 0;
  const makespan = Math.max(0, ...done.map((r) => r.end)) - first;
  return { jobs: done, series, fragmentation: makespan > 0 ? fragArea / (totalCores * makespan) : 0, backfilled };
}

interface Pass {
  queue: JobQueue;
  t: number;
  policy: SimPolicy;
  state: NodeState;
  jobs: JobSpec[];
  running: Map<number, Running>;
  order: ReturnType<typeof priorityOrder>;
  start: (j: number, alloc: Allocation, t: number, backfill: boolean) => void;
}

function schedule(p: Pass): void {
  const arrival = p.policy.priority.order === 'fcfs';
  // A generator that was broken out of is finished, so the backfill pass takes a fresh one.
  const list = arrival ? p.queue.inArrivalOrder() : p.order.sort(p.queue.live(), p.t);
  if (p.policy.queue === 'conservative') return conservative(p, list);
  let head: number | undefined;
  for (const j of list) {
    const alloc = p.state.place(p.jobs[j] as JobSpec, p.policy.placement);
    if (!alloc) {
      head = j;
      break;
    }
    p.start(j, alloc, p.t, false);
  }
  if (p.policy.queue === 'fcfs' || head === undefined) return;
  easyBackfill(p, head, arrival ? p.queue.inArrivalOrder() : list);
}

function easyBackfill(p: Pass, headJob: number, list: Iterable<number>): void {
  const head = p.jobs[headJob] as JobSpec;
  const proj = p.state.clone();
  const byEnd = [...p.running.values()].sort((a, b) => a.estEnd - b.estEnd);
  let shadow = Infinity;
  let extra: NodeState | undefined;
  for (const r of byEnd) {
    proj.release(r.alloc);
    if (proj.totalFreeCores < head.cores || proj.totalFreeGpus < head.gpus) continue;
    const a = proj.place(head, p.policy.placement);
    if (a) {
      shadow = r.estEnd;
      proj.take(a);
      extra = proj;
      break;
    }
  }
  let tested = 0;
  for (const j of list) {
    if (j === headJob || !p.queue.has(j)) continue;
    if (++tested > p.policy.backfillDepth || p.state.totalFreeCores === 0) break;
    const spec = p.jobs[j] as JobSpec;
    if (spec.cores > p.state.totalFreeCores || spec.gpus > p.state.totalFreeGpus) continue;
    let alloc = p.t + spec.walltime <= shadow ? p.state.place(spec, p.policy.placement) : undefined;
    let usesExtra = false;
    if (!alloc && extra && spec.cores <= extra.totalFreeCores && spec.gpus <= extra.totalFreeGpus) {
      alloc = p.state.place(spec, p.policy.placement, extra);
      usesExtra = alloc !== undefined;
    }
    if (!alloc) continue;
    p.start(j, alloc, p.t, true);
    if (usesExtra) extra?.take(alloc);
  }
}

function conservative(p: Pass, list: Iterable<number>): void {
  const planned: { start: number; end: number; alloc: Allocation }[] = [...p.running.values()].map((r) => ({ start: r.start, end: r.estEnd, alloc: r.alloc }));
  let blocked = false;
  let k = 0;
  for (const j of list) {
    const spec = p.jobs[j] as JobSpec;
    if (k++ > p.policy.backfillDepth) break;
    const times = [p.t, ...planned.map((x) => x.end).filter((e) => e > p.t)].sort((a, b) => a - b);
    for (const t0 of times) {
      const free = new NodeState(p.state.capCores, p.state.capGpus);
      for (const x of planned) if (x.start < t0 + spec.walltime && x.end > t0) free.take(x.alloc);
      const alloc = free.place(spec, p.policy.placement);
      if (!alloc) continue;
      // Beyond the window a job gets no reservation, so it holds nothing back.
      if (t0 > p.t + (p.policy.backfillWindow ?? Infinity)) break;
      planned.push({ start: t0, end: t0 + spec.walltime, alloc });
      if (t0 === p.t) p.start(j, alloc, p.t, blocked);
      else blocked = true;
      break;
    }
  }
}
