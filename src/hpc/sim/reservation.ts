/**
 * EASY's reservation for the blocked queue head: the shadow time (when enough running jobs will
 * have ended, by walltime estimates, for the head to start) and the extra resources (what is left
 * then once the head is placed). See simulate.ts for the policy. One Reservation is kept per run
 * and filled again for each new reservation — about one event in two makes one, and objects
 * made that often were a good share of the garbage collector's work.
 */
import type { JobSpec } from '../workload/job.js';
import type { Pass } from './backfill.js';
import type { Allocation, NodeState } from './placement.js';
import type { Projection } from './projection.js';
import { coresOf, gpusOf } from './unit-nodes.js';

export class Reservation {
  /** When the head can start; Infinity if it never fits. */
  shadow = Infinity;
  /** Pool model: the extra resources are totals only; nodes are not looked at. */
  pool = false;
  private extraCores = 0;
  private extraGpus = 0;
  /** The extra resources node by node, once asked for. */
  private nodes: NodeState | undefined;
  /** Already placed node by node when reserved (not yet handed out as `nodes`). */
  private placed: NodeState | undefined;
  /**
   * Or worked out only when asked, which only a job that would use them needs — about one
   * reservation in ten: the projection as at the reservation's mark once running job `last`
   * has ended, with `head` placed on it. Kept as fields, not a closure, so that filling the
   * reservation allocates nothing.
   */
  private pass: Pass | undefined;
  private head: JobSpec | undefined;
  private last = -1;

  /** The head never fits: no shadow time, no extra resources. */
  never(): void {
    this.fill(Infinity, false, 0, 0);
  }

  /** Pooled totals only. */
  pooled(shadow: number, extraCores: number, extraGpus: number): void {
    this.fill(shadow, true, extraCores, extraGpus);
  }

  /** Node by node, worked out from the projection if asked for (see `deferred`). */
  later(shadow: number, extraCores: number, extraGpus: number, p: Pass, head: JobSpec, last: number): void {
    this.fill(shadow, false, extraCores, extraGpus);
    this.pass = p;
    this.head = head;
    this.last = last;
  }

  /** Node by node, already placed in `extra`. */
  ready(shadow: number, extra: NodeState): void {
    this.fill(shadow, false, extra.totalFreeCores, extra.totalFreeGpus);
    this.placed = extra;
  }

  private fill(shadow: number, pool: boolean, extraCores: number, extraGpus: number): void {
    this.shadow = shadow;
    this.pool = pool;
    this.extraCores = extraCores;
    this.extraGpus = extraGpus;
    this.nodes = undefined;
    this.placed = undefined;
    this.pass = undefined;
    this.head = undefined;
  }

  /** Whether the head fits at the shadow time, so that there are extra resources at all. */
  get fits(): boolean {
    return this.pool ? this.shadow < Infinity : this.placed !== undefined || this.head !== undefined;
  }

  get totalExtraCores(): number {
    return this.nodes ? this.nodes.totalFreeCores : this.extraCores;
  }

  get totalExtraGpus(): number {
    return this.nodes ? this.nodes.totalFreeGpus : this.extraGpus;
  }

  /** The extra resources node by node. */
  extra(): NodeState {
    if (this.nodes) return this.nodes;
    if (this.placed) return (this.nodes = this.placed);
    const p = this.pass;
    if (!p || !this.head) throw new Error('no extra resources: the head never fits');
    const extra = p.scratch;
    (p.projection as Projection).freeAsOfMark(this.last, extra);
    if (!extra.placeAndTake(this.head, p.policy.placement)) throw new Error('the head does not fit where its totals are covered');
    return (this.nodes = extra);
  }

  /** A job started on the extra resources. */
  takeExtra(alloc: Allocation): void {
    if (!this.pool) return this.extra().take(alloc);
    this.extraCores -= coresOf(alloc);
    this.extraGpus -= gpusOf(alloc);
  }
}

/**
 * Lets running jobs end in estimated-end order until the head fits: the shadow time is when the
 * last of them ends, and every job estimated to end by then counts as ended (Mu'alem & Feitelson's
 * extra processors). Placing is tried only once the totals cover the head, as they do from then
 * on. The result goes into `res`.
 */
export function reserve(p: Pass, head: JobSpec, res: Reservation): void {
  const projection = p.projection as Projection;
  const running = p.running;
  projection.mark();
  let k = projection.firstCovering(head.cores, head.gpus);
  if (k < 0) return res.never();
  if (p.policy.reservation === 'pool') {
    const shadow = running.estEnd[running.at(k - 1)] as number;
    return res.pooled(shadow, projection.coveredCores - head.cores, projection.coveredGpus - head.gpus);
  }
  if (head.nodes <= 0 && !(head.gpus > 0) && Number.isInteger(head.cores) && head.cores >= 0) {
    // A packed request for whole cores and no GPU fits as soon as the totals cover it (no node of
    // the projection is over-committed) and takes exactly its cores: no need to place it yet.
    const last = running.at(k - 1);
    return res.later(running.estEnd[last] as number, projection.coveredCores - head.cores, projection.coveredGpus, p, head, last);
  }
  for (; k <= running.length; k++) {
    projection.moveTo(k);
    const extra = p.scratch;
    extra.copyFrom(projection.free);
    if (!extra.placeAndTake(head, p.policy.placement)) continue;
    // Every job estimated to end by the shadow time has ended then: the head is placed on all of it.
    const k1 = projection.tiesFrom(k);
    if (k1 > k) {
      k = k1;
      projection.moveTo(k);
      extra.copyFrom(projection.free);
      if (!extra.placeAndTake(head, p.policy.placement)) throw new Error('the head does not fit once more jobs have ended');
    }
    return res.ready(running.estEnd[running.at(k - 1)] as number, extra);
  }
  res.never();
}
