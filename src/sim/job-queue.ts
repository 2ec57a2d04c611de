/**
 * The waiting jobs, in arrival order, with O(1) removal from anywhere (backfilled jobs leave from
 * the middle) and a quick "does any waiting job fit by count" for the fragmentation metric.
 * Removed entries are skipped lazily and compacted once they are the majority, so no event pays
 * for the whole queue.
 */
import type { JobSpec } from '../workload/job.js';

export class JobQueue {
  private order: number[] = [];
  private head = 0;
  private readonly waiting: Uint8Array;
  private dead = 0;
  /** Waiting CPU-only jobs by core count; GPU jobs are few and scanned. */
  private readonly byCores = new Map<number, number>();
  private readonly gpuJobs = new Set<number>();
  length = 0;

  constructor(private readonly jobs: readonly JobSpec[]) {
    this.waiting = new Uint8Array(jobs.length);
  }

  add(j: number): void {
    this.order.push(j);
    this.waiting[j] = 1;
    this.length++;
    const s = this.jobs[j] as JobSpec;
    if (s.gpus > 0) this.gpuJobs.add(j);
    else this.byCores.set(s.cores, (this.byCores.get(s.cores) ?? 0) + 1);
  }

  has(j: number): boolean {
    return this.waiting[j] === 1;
  }

  remove(j: number): void {
    if (!this.waiting[j]) return;
    this.waiting[j] = 0;
    this.length--;
    this.dead++;
    const s = this.jobs[j] as JobSpec;
    if (s.gpus > 0) this.gpuJobs.delete(j);
    else {
      const n = (this.byCores.get(s.cores) as number) - 1;
      if (n === 0) this.byCores.delete(s.cores);
      else this.byCores.set(s.cores, n);
    }
  }

  /** Waiting jobs in arrival order; safe to remove jobs while iterating. */
  *inArrivalOrder(): Generator<number> {
    while (this.head < this.order.length && !this.waiting[this.order[this.head] as number]) {
      this.head++;
      this.dead--;
    }
    if (this.dead > this.length && this.dead > 1024) this.compact();
    for (let k = this.head; k < this.order.length; k++) {
      const j = this.order[k] as number;
      if (this.waiting[j]) yield j;
    }
  }

  /** A fresh array of the waiting jobs, for orders that sort. */
  live(): number[] {
    return [...this.inArrivalOrder()];
  }

  anyFitsByCount(freeCores: number, freeGpus: number): boolean {
    if (this.length === 0 || freeCores === 0) return false;
    for (const c of this.byCores.keys()) if (c <= freeCores) return true;
    for (const j of this.gpuJobs) {
      const s = this.jobs[j] as JobSpec;
      if (s.cores <= freeCores && s.gpus <= freeGpus) return true;
    }
    return false;
  }

  private compact(): void {
    this.order = this.order.slice(this.head).filter((j) => this.waiting[j]);
    this.head = 0;
    this.dead = 0;
  }
}
