/**
 * EASY's reservation for the blocked queue head: the shadow time (when enough running jobs will
 * have ended, by walltime estimates, for the head to start) and the extra resources (what is left
 * then once the head is placed). See simulate.ts for the policy.
 */
import type { JobSpec } from '../workload/job.js';
import type { Pass } from './backfill.js';
import type { Allocation, NodeState } from './placement.js';
import type { Projection } from './projection.js';
import { coresOf, gpusOf } from './unit-nodes.js';

export class Reservation {
  /** When the head can start; Infinity if it never fits. */
  readonly shadow: number;
  private extraCores: number;
  private extraGpus: number;
  /** Pool model: the extra resources are totals only; nodes are not looked at. */
  readonly pool: boolean;
  private readonly build: (() => NodeState) | undefined;
  private nodes: NodeState | undefined;

  /**
   * `extraCores`/`extraGpus` are the extra totals; `build` works out the extra resources node by
   * node, which only a job that would use them needs — about one reservation in ten.
   */
  constructor(r: { shadow: number; extraCores: number; extraGpus: number; build: (() => NodeState) | undefined; pool?: boolean }) {
    this.shadow = r.shadow;
    this.pool = r.pool ?? false;
    this.extraCores = r.extraCores;
    this.extraGpus = r.extraGpus;
    this.build = r.build;
  }

  static never(): Reservation {
    return new Reservation({ shadow: Infinity, extraCores: 0, extraGpus: 0, build: undefined });
  }

  /** Whether the head fits at the shadow time, so that there are extra resources at all. */
  get fits(): boolean {
    return this.pool ? this.shadow < Infinity : this.build !== undefined;
  }

  get totalExtraCores(): number {
    return this.nodes ? this.nodes.totalFreeCores : this.extraCores;
  }

  get totalExtraGpus(): number {
    return this.nodes ? this.nodes.totalFreeGpus : this.extraGpus;
  }

  /** The extra resources node by node. */
  extra(): NodeState {
    if (!this.build) throw new Error('no extra resources: the head never fits');
    this.nodes ??= this.build();
    return this.nodes;
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
 * extra processors). Placing is tried only once the totals cover the head, as they do from then on.
 */
export function reserve(p: Pass, head: JobSpec): Reservation {
  const projection = p.projection as Projection;
  const running = p.running;
  projection.mark();
  let k = projection.firstCovering(head.cores, head.gpus);
  if (k < 0) return Reservation.never();
  if (p.policy.reservation === 'pool') {
    const shadow = running.estEnd[running.at(k - 1)] as number;
    return new Reservation({ shadow, extraCores: projection.coveredCores - head.cores, extraGpus: projection.coveredGpus - head.gpus, build: undefined, pool: true });
  }
  if (head.nodes <= 0 && !(head.gpus > 0) && Number.isInteger(head.cores) && head.cores >= 0) {
    // A packed request for whole cores and no GPU fits as soon as the totals cover it (no node of
    // the projection is over-committed) and takes exactly its cores: no need to place it yet.
    const last = running.at(k - 1);
    const build = () => {
      const extra = p.scratch;
      projection.freeAsOfMark(last, extra);
      if (!extra.placeAndTake(head, p.policy.placement)) throw new Error('the head does not fit where its totals are covered');
      return extra;
    };
    return new Reservation({ shadow: running.estEnd[last] as number, extraCores: projection.coveredCores - head.cores, extraGpus: projection.coveredGpus, build });
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
    return new Reservation({ shadow: running.estEnd[running.at(k - 1)] as number, extraCores: extra.totalFreeCores, extraGpus: extra.totalFreeGpus, build: () => extra });
  }
  return Reservation.never();
}
