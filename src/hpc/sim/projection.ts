/**
 * EASY's look ahead: the free resources as they will be once the first k running jobs, in release
 * order (estimated end, then start order), have ended. It is kept up to date as jobs start and
 * end, and the prefix only moves as far as each reservation needs, so an event pays for what
 * changed since the last one rather than for every running job the queue head waits on.
 *
 * Invariant: `free` = the cluster's free resources now + what the first k running jobs hold.
 * With pooled reservations only the totals are ever asked for, so only they are kept: a start
 * or end then costs two additions instead of a walk over the job's nodes.
 */
import type { Allocation, NodeState } from './placement.js';
import type { RunningSet } from './running-set.js';

export class Projection {
  readonly free: NodeState;
  /** How many running jobs, from the front of the release order, count as ended. */
  private k = 0;
  /** The free totals after the prefix `firstCovering` last returned. */
  coveredCores = 0;
  coveredGpus = 0;

  /** Jobs started since `mark` (each reservation marks, so this stays short while EASY runs). */
  private readonly startedSinceMark: number[] = [];

  /** Pool model: the free totals of the invariant (`free` is then not kept up to date). */
  private poolCores: number;
  private poolGpus: number;

  constructor(now: NodeState, private readonly running: RunningSet, private readonly pool = false) {
    this.free = now.clone();
    this.poolCores = now.totalFreeCores;
    this.poolGpus = now.totalFreeGpus;
  }

  /** Job j started with `alloc` and went to position `at` of the release order. */
  started(j: number, at: number, alloc: Allocation): void {
    // Inside the prefix, what it takes now it gives back by the projected time.
    if (at < this.k) this.k++;
    else if (this.pool) {
      this.poolCores -= this.running.cores[j] as number;
      this.poolGpus -= this.running.gpus[j] as number;
    } else this.free.take(alloc);
    if (!this.pool) this.startedSinceMark.push(j);
  }

  /** Job j, at position `at` of the release order, ended, giving back `alloc`. */
  ended(j: number, at: number, alloc: Allocation): void {
    if (at < this.k) this.k--;
    else if (this.pool) {
      this.poolCores += this.running.cores[j] as number;
      this.poolGpus += this.running.gpus[j] as number;
    } else this.free.release(alloc);
  }

  /**
   * The shortest prefix, at least one job, after which the free totals cover the request — found
   * from the jobs' totals alone — extended over the running jobs estimated to end at the same
   * time as its last (all of them have ended by the shadow time), or -1 if even every running job
   * ending does not cover it.
   */
  firstCovering(cores: number, gpus: number): number {
    const r = this.running;
    let k = this.k;
    let c = this.pool ? this.poolCores : this.free.totalFreeCores;
    let g = this.pool ? this.poolGpus : this.free.totalFreeGpus;
    if (k >= 1 && c >= cores && g >= gpus) {
      for (; k > 1; k--) {
        const j = r.at(k - 1);
        const c1 = c - (r.cores[j] as number);
        const g1 = g - (r.gpus[j] as number);
        if (c1 < cores || g1 < gpus) break;
        c = c1;
        g = g1;
      }
    } else {
      for (; k < r.length && (k < 1 || c < cores || g < gpus); k++) {
        const j = r.at(k);
        c += r.cores[j] as number;
        g += r.gpus[j] as number;
      }
      if (!(k >= 1 && c >= cores && g >= gpus)) {
        this.coveredCores = c;
        this.coveredGpus = g;
        return -1;
      }
    }
    const shadow = r.estEnd[r.at(k - 1)] as number;
    for (; k < r.length && r.estEnd[r.at(k)] === shadow; k++) {
      const j = r.at(k);
      c += r.cores[j] as number;
      g += r.gpus[j] as number;
    }
    this.coveredCores = c;
    this.coveredGpus = g;
    return k;
  }

  /** The end of the run of jobs from position k − 1 on that share its estimated end. */
  tiesFrom(k: number): number {
    const r = this.running;
    const shadow = r.estEnd[r.at(k - 1)] as number;
    while (k < r.length && r.estEnd[r.at(k)] === shadow) k++;
    return k;
  }

  /** Remembers this moment for `freeAsOfMark`. */
  mark(): void {
    this.startedSinceMark.length = 0;
  }

  /**
   * Sets `into` to the free resources once every running job up to `last` in release order has
   * ended — as they were at the mark, before the jobs started since took their share. Jobs that
   * started since and sort before `last` are inside that prefix, so they change nothing; those
   * after it are given back.
   */
  freeAsOfMark(last: number, into: NodeState): void {
    const r = this.running;
    this.moveTo(r.positionOf(last) + 1);
    into.copyFrom(this.free);
    for (const j of this.startedSinceMark) if (!r.sortsBefore(j, last)) into.release(r.alloc[j] as Allocation);
  }

  /** Moves the prefix to the first k running jobs. */
  moveTo(k: number): void {
    const r = this.running;
    for (; this.k < k; this.k++) this.free.release(r.alloc[r.at(this.k)] as Allocation);
    for (; this.k > k; this.k--) this.free.take(r.alloc[r.at(this.k - 1)] as Allocation);
  }
}
