/**
 * Conservative backfilling (Mu'alem & Feitelson 2001) on an availability profile. Every waiting
 * job, in priority order, holds a reservation at the earliest time it fits for its whole
 * estimate, given the running jobs and every other reservation; a job whose reservation is now
 * starts now. Reservations persist from event to event, so a later job can never delay an
 * earlier one. When a job ends before its estimate, the schedule is compressed: the reserved
 * jobs, in priority order, are each taken out and put back at their earliest fit — never later
 * than where they were, since that slot is still free.
 *
 * Reservation models: `pool` plans cores and GPUs as two pools (the processor model of the
 * literature: a job fits when enough are free in total, wherever they are); `nodes` plans each
 * node's cores and GPUs, and a reservation holds the nodes the placement rule picked, as SLURM
 * reserves nodes. In the pool model a job is placed on nodes only when it starts.
 *
 * Limits, as SLURM's backfill has them: a pass examines the first `backfillDepth` waiting jobs,
 * and a job whose earliest start is beyond `backfillWindow` gets no reservation (it holds
 * nothing back and is tried again at the next event).
 */
import type { JobSpec } from '../workload/job.js';
import type { Pass } from './backfill.js';
import { JobQueue, NONE } from './job-queue.js';
import { MinHeap } from './min-heap.js';
import type { Allocation, NodeState } from './placement.js';
import { Profile } from './profile.js';
import { coresOf, gpusOf } from './unit-nodes.js';

/** How reservations hold resources: pooled totals, or specific nodes. */
export type ReservationModel = 'pool' | 'nodes';

const duration = (spec: JobSpec) => (spec.walltime >= 0 ? spec.walltime : Infinity);

export class Conservative {
  private readonly total: Profile;
  /** Nodes model: one profile per node; the total profile is their sum. */
  private readonly perNode: Profile[] | undefined;
  /** Each job's reserved start (NaN: none), and what it holds (totals; nodes in the nodes model). */
  private readonly resStart: Float64Array;
  private readonly resEnd: Float64Array;
  private readonly resCores: Float64Array;
  private readonly resGpus: Float64Array;
  private readonly resAlloc: (Allocation | undefined)[];
  /** Reserved starts, to find the jobs due now; entries of a moved reservation are skipped. */
  private readonly due = new MinHeap();
  /** Ranked orders: the waiting jobs without a reservation, in the same order. */
  private readonly unreserved: JobQueue | undefined;
  private readonly collected: Int32Array;
  private stamp = 0;
  private compress = false;
  /** The current time: node profiles forget their past when next touched, not at every pass. */
  private now = -Infinity;
  private readonly cap: NodeState;
  private readonly bufCores: Float64Array;
  private readonly bufGpus: Float64Array;
  /** firstFitCores' picks as (node, cores) pairs. */
  private readonly pickBuf: Int32Array;

  constructor(jobs: readonly JobSpec[], state: NodeState, private readonly model: ReservationModel, ranks: Int32Array | undefined) {
    this.total = new Profile(state.totalFreeCores, state.totalFreeGpus);
    if (model === 'nodes') this.perNode = Array.from(state.capCores, (c, n) => new Profile(c, state.capGpus[n] as number));
    const n = jobs.length;
    this.resStart = new Float64Array(n).fill(NaN);
    this.resEnd = new Float64Array(n);
    this.resCores = new Float64Array(n);
    this.resGpus = new Float64Array(n);
    this.resAlloc = new Array<Allocation | undefined>(n);
    this.unreserved = ranks ? new JobQueue(jobs, ranks, false) : undefined;
    this.collected = new Int32Array(n);
    this.cap = state.clone();
    this.bufCores = new Float64Array(state.capCores.length);
    this.bufGpus = new Float64Array(state.capCores.length);
    this.pickBuf = new Int32Array(2 * state.capCores.length);
  }

  /** Job j arrived in the queue. */
  arrived(j: number): void {
    this.unreserved?.add(j);
  }

  /** A running job ended at t, estimated to end at estEnd: what it held from t on is free again. */
  ended(t: number, estEnd: number, alloc: Allocation, cores: number, gpus: number): void {
    this.now = t;
    if (!(t < estEnd)) return;
    this.hold(t, estEnd, alloc, 1, cores, gpus);
    this.compress = true;
  }

  /** The next time a reservation falls due, or Infinity. */
  nextWake(): number {
    while (this.due.size > 0) {
      const t = this.due.peekKey();
      const j = this.due.peekVal();
      if (this.resStart[j] === t) return t;
      this.due.pop();
    }
    return Infinity;
  }

  /** One scheduling pass at p.t over the waiting jobs in priority order (`list`, or the ranked queue). */
  pass(p: Pass, list: readonly number[] | undefined): void {
    this.now = p.t;
    this.total.dropBefore(p.t);
    const depth = Number.isNaN(p.policy.backfillDepth) ? Infinity : Math.max(0, Math.floor(p.policy.backfillDepth));
    if (list || this.compress || !this.unreserved) {
      let k = 0;
      for (const j of list ?? p.queue.inOrder()) {
        if (k++ >= depth) break;
        if (this.compress && this.resStart[j] === this.resStart[j]) this.release(j);
        if (!(this.resStart[j] === this.resStart[j])) this.reserve(p, j);
      }
    } else {
      const last = depth >= p.queue.length ? Infinity : depth === 0 ? NONE : p.queue.kth(depth);
      for (let r = this.unreserved.nextWaiting(0); r !== NONE && r <= last; r = this.unreserved.nextWaiting(r + 1)) this.reserve(p, p.queue.jobAtRank(r));
    }
    this.compress = false;
    this.startDue(p, list);
  }

  /** Gives job j its earliest reservation, if it has one within the window. */
  private reserve(p: Pass, j: number): void {
    const spec = p.jobs[j] as JobSpec;
    const dur = duration(spec);
    const limit = p.t + (p.policy.backfillWindow ?? Infinity);
    let s: number;
    let alloc: Allocation | undefined;
    if (this.model === 'pool') s = this.total.earliest(p.t, dur, spec.cores, spec.gpus);
    else [s, alloc] = this.earliestOnNodes(p, spec, dur);
    if (!(s <= limit)) return;
    const c = alloc ? coresOf(alloc) : spec.cores;
    const g = alloc ? gpusOf(alloc) : spec.gpus;
    this.resStart[j] = s;
    this.resEnd[j] = s + dur;
    this.resCores[j] = c;
    this.resGpus[j] = g;
    this.resAlloc[j] = alloc;
    this.hold(s, s + dur, alloc, -1, c, g);
    this.due.push(s, j);
    this.unreserved?.remove(j);
    p.observer?.onReserve?.(spec, s, p.t);
  }

  /** Takes job j's reservation out of the plan. */
  private release(j: number): void {
    const s = this.resStart[j] as number;
    this.hold(s, this.resEnd[j] as number, this.resAlloc[j], 1, this.resCores[j] as number, this.resGpus[j] as number);
    this.resStart[j] = NaN;
    this.resAlloc[j] = undefined;
    this.unreserved?.add(j);
  }

  /** Adds (sign = 1) or subtracts an allocation over [t0, t1) in the profiles. */
  private hold(t0: number, t1: number, alloc: Allocation | undefined, sign: number, c: number, g: number): void {
    this.total.add(t0, t1, sign * c, sign * g);
    if (!this.perNode || !alloc) return;
    for (let k = 0; k < alloc.nodes.length; k++) {
      const prof = this.perNode[alloc.nodes[k] as number] as Profile;
      prof.dropBefore(this.now);
      prof.add(t0, t1, sign * (alloc.cores[k] as number), sign * (alloc.gpus[k] as number));
    }
  }

  /**
   * Nodes model: the earliest time the placement rule finds room on every node's fewest free
   * resources over the job's whole estimate, and where. Only times at which the totals fit are
   * tried; the free resources change only at profile boundaries, so those are the candidates.
   */
  private earliestOnNodes(p: Pass, spec: JobSpec, dur: number): [number, Allocation | undefined] {
    const nodes = this.perNode as Profile[];
    const packedCpu = p.policy.placement === 'first-fit' && spec.nodes <= 0 && !(spec.gpus > 0);
    for (let s = p.t; s < Infinity; s = this.total.nextBoundary(s)) {
      s = this.total.earliest(s, dur, spec.cores, spec.gpus);
      if (s === Infinity) break;
      if (packedCpu) {
        const alloc = this.firstFitCores(spec.cores, s, s + dur);
        if (alloc) return [s, alloc];
        continue;
      }
      for (let n = 0; n < nodes.length; n++) {
        const [c, g] = (nodes[n] as Profile).minOver(s, s + dur);
        this.bufCores[n] = c;
        this.bufGpus[n] = g;
      }
      this.cap.assign(this.bufCores, this.bufGpus);
      const alloc = this.cap.place(spec, p.policy.placement);
      if (alloc) return [s, alloc];
    }
    return [Infinity, undefined];
  }

  /**
   * First-fit placement of a packed CPU-only request on each node's fewest free cores over
   * [t0, t1), as NodeState.place would give it, looking at the nodes only until the request is
   * covered: each node gives min(its fewest free, what is still needed), in node order.
   */
  private firstFitCores(cores: number, t0: number, t1: number): Allocation | undefined {
    const nodes = this.perNode as Profile[];
    const pick = this.pickBuf;
    let rem = cores;
    let k = 0;
    for (let n = 0; n < nodes.length && rem > 0; n++) {
      const c = Math.min((nodes[n] as Profile).coresThroughout(t0, t1), rem);
      if (c <= 0) continue;
      pick[k++] = n;
      pick[k++] = c | 0;
      rem -= c;
    }
    if (rem > 0) return undefined;
    // Built only once it fits: most candidate times do not.
    const alloc: Allocation = { nodes: [], cores: [], gpus: [] };
    for (let m = 0; m < k; m += 2) {
      alloc.nodes.push(pick[m] as number);
      alloc.cores.push(pick[m + 1] as number);
      alloc.gpus.push(0);
    }
    return alloc;
  }

  /** Starts, in priority order, every job whose reservation is now. */
  private startDue(p: Pass, list: readonly number[] | undefined): void {
    const stamp = ++this.stamp;
    const due: number[] = [];
    while (this.due.size > 0 && this.due.peekKey() <= p.t) {
      const t = this.due.peekKey();
      const j = this.due.pop();
      if (this.resStart[j] !== t || this.collected[j] === stamp || !p.queue.has(j)) continue;
      this.collected[j] = stamp;
      due.push(j);
    }
    if (due.length === 0) return;
    const pos = list ? new Map(list.map((j, i) => [j, i])) : undefined;
    const rank = (j: number) => (pos ? (pos.get(j) as number) : p.queue.rank(j));
    due.sort((a, b) => rank(a) - rank(b));
    const firstWaiting = this.firstNotDue(p, list, stamp);
    for (const j of due) this.startNow(p, j, firstWaiting !== undefined && rank(firstWaiting) < rank(j));
  }

  /** The first waiting job in priority order that does not start now. */
  private firstNotDue(p: Pass, list: readonly number[] | undefined, stamp: number): number | undefined {
    if (list) return list.find((j) => this.collected[j] !== stamp);
    for (let r = p.queue.nextWaiting(0); r !== NONE; r = p.queue.nextWaiting(r + 1)) {
      const j = p.queue.jobAtRank(r);
      if (this.collected[j] !== stamp) return j;
    }
    return undefined;
  }

  private startNow(p: Pass, j: number, backfilled: boolean): void {
    const spec = p.jobs[j] as JobSpec;
    const alloc = this.resAlloc[j] ?? p.state.place(spec, p.policy.placement);
    if (!alloc) {
      // Pool model only: the pooled totals fit but the nodes do not (a GPU node without a free core).
      this.release(j);
      return;
    }
    const c = coresOf(alloc);
    const g = gpusOf(alloc);
    const dur = duration(spec);
    // Placement may give a fixed-node request more than it asked; the plan holds what it got.
    if (c !== this.resCores[j] || g !== this.resGpus[j]) this.total.add(p.t, p.t + dur, (this.resCores[j] as number) - c, (this.resGpus[j] as number) - g);
    this.resStart[j] = NaN;
    this.resAlloc[j] = undefined;
    p.start(j, alloc, p.t, backfilled);
  }
}
