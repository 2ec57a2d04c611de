/**
 * The running jobs, kept in the order EASY releases them when it looks for the shadow time:
 * by estimated end (start + walltime), ties by start order. Kept sorted as jobs start and end,
 * so no event sorts the running jobs again. Plain FCFS never asks for the order and skips it.
 */
import type { Allocation } from './placement.js';
import { coresOf, gpusOf } from './unit-nodes.js';

export class RunningSet {
  /** Job indices in release order; `length` of them are live. */
  private order = new Int32Array(64);
  length = 0;
  readonly start: Float64Array;
  readonly estEnd: Float64Array;
  readonly alloc: (Allocation | undefined)[];
  /** Cores and GPUs each running job holds in all. */
  readonly cores: Float64Array;
  readonly gpus: Float64Array;
  private readonly seq: Int32Array;
  private nextSeq = 0;

  constructor(jobs: number, private readonly ordered: boolean) {
    this.start = new Float64Array(jobs);
    this.estEnd = new Float64Array(jobs);
    this.seq = new Int32Array(jobs);
    this.alloc = new Array<Allocation | undefined>(jobs);
    this.cores = new Float64Array(jobs);
    this.gpus = new Float64Array(jobs);
  }

  /** Adds job j and returns its position in release order (-1 if unordered). */
  add(j: number, alloc: Allocation, start: number, estEnd: number): number {
    this.cores[j] = coresOf(alloc);
    this.gpus[j] = gpusOf(alloc);
    this.start[j] = start;
    this.estEnd[j] = estEnd;
    this.alloc[j] = alloc;
    this.seq[j] = this.nextSeq++;
    if (!this.ordered) {
      this.length++;
      return -1;
    }
    if (this.length === this.order.length) {
      const grown = new Int32Array(this.order.length * 2);
      grown.set(this.order);
      this.order = grown;
    }
    // The newest job goes after every job with the same estimated end.
    const at = this.search(estEnd, Infinity);
    this.order.copyWithin(at + 1, at, this.length);
    this.order[at] = j;
    this.length++;
    return at;
  }

  /** Removes job j and returns the position it had in release order. */
  remove(j: number): number {
    if (!this.ordered) {
      this.length--;
      this.alloc[j] = undefined;
      return -1;
    }
    const at = this.positionOf(j);
    this.order.copyWithin(at, at + 1, this.length);
    this.length--;
    this.alloc[j] = undefined;
    return at;
  }

  /** Where running job j is in release order. */
  positionOf(j: number): number {
    const at = this.search(this.estEnd[j] as number, this.seq[j] as number);
    if (this.order[at] !== j || at >= this.length) throw new Error(`job ${j} is not running`);
    return at;
  }

  /** Whether job a is released before job b. */
  sortsBefore(a: number, b: number): boolean {
    const ea = this.estEnd[a] as number;
    const eb = this.estEnd[b] as number;
    return ea < eb || (ea === eb && (this.seq[a] as number) < (this.seq[b] as number));
  }

  /** The i-th running job in release order. */
  at(i: number): number {
    if (!this.ordered) throw new Error('running jobs are not kept in order');
    return this.order[i] as number;
  }

  /** The first position whose job sorts at or after (estEnd, seq). */
  private search(estEnd: number, seq: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.order[mid] as number;
      const e = this.estEnd[m] as number;
      if (e < estEnd || (e === estEnd && (this.seq[m] as number) < seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
