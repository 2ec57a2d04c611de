/**
 * The waiting jobs, each at a fixed rank in the queue order (arrival for fcfs, requested walltime
 * for sjf — orders that do not change while a job waits). A segment tree over ranks holds, per
 * subtree, how many jobs wait and the fewest cores and shortest walltime any of them asks for.
 * The EASY backfill pass can then jump straight to the next waiting job that might start, and
 * find where its bf_max_job_test window ends, without walking a queue that has grown long.
 */
import type { JobSpec } from '../workload/job.js';

/** "No such rank". */
export const NONE = -1;

export class JobQueue {
  private readonly size: number;
  /** Waiting jobs per subtree (heap layout: root 1, leaves size..2·size−1). */
  private readonly count: Int32Array;
  /** Fewest cores asked for by a waiting job in the subtree; Infinity when none waits. */
  private readonly minCores: Float64Array;
  /** Shortest walltime of a waiting job in the subtree (a NaN one counts as Infinity). */
  private readonly minWall: Float64Array;
  /** The query `nextCandidate` is answering. */
  private readonly query = { anyCores: 0, shortCores: 0, t: 0, deadline: 0 };
  /** Job index at each rank, and each job's rank. */
  private readonly jobAt: Int32Array;
  private readonly rankOf: Int32Array;
  /**
   * Waiting CPU-only jobs by core count; GPU jobs are few and scanned. Only kept when some job
   * asks for GPUs: without GPU jobs `anyFitsByCount` needs the root's minimum alone.
   */
  private readonly byCores = new Map<number, number>();
  private readonly gpuJobs = new Set<number>();
  private readonly withGpus: boolean;
  /**
   * No rank below this holds a waiting job. A pass asks for the first waiting job at every event;
   * from here that is one leaf instead of a climb from rank 0 over the jobs already gone.
   */
  private waitingFrom = 0;
  length = 0;

  /**
   * `ranked` lists every job index once, in queue order. Only EASY backfilling asks for `kth`
   * and `nextCandidate`; without `backfill` the counts and walltimes are not kept.
   */
  constructor(private readonly jobs: readonly JobSpec[], ranked: Int32Array, private readonly backfill: boolean) {
    let size = 1;
    while (size < jobs.length) size *= 2;
    this.size = size;
    this.count = new Int32Array(2 * size);
    this.minCores = new Float64Array(2 * size).fill(Infinity);
    // Only backfilling looks at walltimes; a plain FCFS run skips the 2·size column (MBs per run).
    this.minWall = backfill ? new Float64Array(2 * size).fill(Infinity) : new Float64Array(0);
    this.jobAt = ranked;
    this.rankOf = new Int32Array(jobs.length);
    this.withGpus = jobs.some((j) => j.gpus > 0);
    for (let r = 0; r < ranked.length; r++) this.rankOf[ranked[r] as number] = r;
  }

  add(j: number): void {
    const s = this.jobs[j] as JobSpec;
    const r = this.rankOf[j] as number;
    this.setLeaf(r, 1, s.cores, Number.isNaN(s.walltime) ? Infinity : s.walltime);
    if (r < this.waitingFrom) this.waitingFrom = r;
    this.length++;
    if (!this.withGpus) return;
    if (s.gpus > 0) this.gpuJobs.add(j);
    else this.byCores.set(s.cores, (this.byCores.get(s.cores) ?? 0) + 1);
  }

  has(j: number): boolean {
    return this.count[this.size + (this.rankOf[j] as number)] === 1;
  }

  remove(j: number): void {
    if (!this.has(j)) return;
    this.setLeaf(this.rankOf[j] as number, 0, Infinity, Infinity);
    this.length--;
    if (!this.withGpus) return;
    const s = this.jobs[j] as JobSpec;
    if (s.gpus > 0) this.gpuJobs.delete(j);
    else {
      const n = (this.byCores.get(s.cores) as number) - 1;
      if (n === 0) this.byCores.delete(s.cores);
      else this.byCores.set(s.cores, n);
    }
  }

  /** Job j's rank in the queue order. */
  rank(j: number): number {
    return this.rankOf[j] as number;
  }

  jobAtRank(r: number): number {
    return this.jobAt[r] as number;
  }

  /** The first rank ≥ `from` whose waiting job asks for at most `cores` cores, or NONE. */
  nextFitting(from: number, cores: number): number {
    if (from >= this.size) return NONE;
    const min = this.minCores;
    let i = from + this.size;
    // Climb until a subtree to the right of `from` holds a fit, then descend to its first one.
    while ((min[i] as number) > cores) {
      while (i & 1) i >>= 1;
      if (i === 0) return NONE;
      i++;
    }
    while (i < this.size) i = (min[2 * i] as number) <= cores ? 2 * i : 2 * i + 1;
    return i - this.size;
  }

  /** The first rank ≥ `from` that holds a waiting job, or NONE (a waiting job's cores are finite). */
  nextWaiting(from: number): number {
    if (from > this.waitingFrom) return this.nextFitting(from, Number.MAX_VALUE);
    const r = this.nextFitting(this.waitingFrom, Number.MAX_VALUE);
    this.waitingFrom = r === NONE ? this.size : r;
    return r;
  }

  /** The rank of the k-th waiting job (k ≥ 1) in queue order, or NONE when fewer wait. */
  kth(k: number): number {
    if (k > (this.count[1] as number)) return NONE;
    let i = 1;
    while (i < this.size) {
      const left = this.count[2 * i] as number;
      if (k <= left) i = 2 * i;
      else {
        k -= left;
        i = 2 * i + 1;
      }
    }
    return i - this.size;
  }

  /** Waiting jobs in queue order; safe to remove the job just yielded while iterating. */
  *inOrder(): Generator<number> {
    for (let r = this.nextWaiting(0); r !== NONE; r = this.nextWaiting(r + 1)) yield this.jobAt[r] as number;
  }

  /** A fresh array of the waiting jobs in queue order, for orders that sort. */
  live(): number[] {
    return [...this.inOrder()];
  }

  anyFitsByCount(freeCores: number, freeGpus: number): boolean {
    if (this.length === 0 || freeCores === 0) return false;
    // The root's minimum covers every waiting job: it settles the answer unless GPU jobs wait.
    if ((this.minCores[1] as number) > freeCores) return false;
    if (this.gpuJobs.size === 0) return true;
    for (const c of this.byCores.keys()) if (c <= freeCores) return true;
    for (const j of this.gpuJobs) {
      const s = this.jobs[j] as JobSpec;
      if (s.cores <= freeCores && s.gpus <= freeGpus) return true;
    }
    return false;
  }

  private setLeaf(r: number, count: number, cores: number, wall: number): void {
    const leaf = r + this.size;
    const delta = count - (this.count[leaf] as number);
    const minCores = this.minCores;
    const minWall = this.minWall;
    this.count[leaf] = count;
    minCores[leaf] = cores;
    // Minima stop changing at the first ancestor they leave as it was.
    if (!this.backfill) {
      for (let i = leaf >> 1; i >= 1; i >>= 1) {
        const m = Math.min(minCores[2 * i] as number, minCores[2 * i + 1] as number);
        if (m === minCores[i]) break;
        minCores[i] = m;
      }
      return;
    }
    // One climb for the count and both minima; a minimum is no longer looked at once it stops changing.
    minWall[leaf] = wall;
    const counts = this.count;
    let coresMoving = true;
    let wallMoving = true;
    for (let i = leaf >> 1; i >= 1; i >>= 1) {
      if (coresMoving) {
        const m = Math.min(minCores[2 * i] as number, minCores[2 * i + 1] as number);
        if (m === minCores[i]) coresMoving = false;
        else minCores[i] = m;
      }
      if (wallMoving) {
        const m = Math.min(minWall[2 * i] as number, minWall[2 * i + 1] as number);
        if (m === minWall[i]) wallMoving = false;
        else minWall[i] = m;
      }
      if (delta === 0 && !coresMoving && !wallMoving) break;
      counts[i] = (counts[i] as number) + delta;
    }
  }

  /**
   * The first rank in [from, to] whose waiting job asks for at most `anyCores` cores, or for at
   * most `shortCores` cores with `t + walltime ≤ deadline`; NONE if there is none. A subtree is
   * skipped when its minima rule both out; a job found may still not start (its own cores and
   * walltime need not be the minima), so the caller checks it in full.
   */
  nextCandidate(from: number, to: number, anyCores: number, shortCores: number, t: number, deadline: number): number {
    const q = this.query;
    q.anyCores = anyCores;
    q.shortCores = shortCores;
    q.t = t;
    q.deadline = deadline;
    if (from >= this.size) return NONE;
    // Climb from `from` over the subtrees to its right, as in nextFitting; search the first that may hold one.
    let i = from + this.size;
    let width = 1;
    for (;;) {
      if (i * width - this.size > to) return NONE;
      if (this.mayHold(i)) {
        const r = this.firstIn(i);
        if (r !== NONE) return r <= to ? r : NONE;
      }
      while (i & 1) {
        i >>= 1;
        width *= 2;
      }
      if (i === 0) return NONE;
      i++;
    }
  }

  /** Whether subtree i's minima leave room for a candidate (on a leaf: whether it is one). */
  private mayHold(i: number): boolean {
    const q = this.query;
    const cores = this.minCores[i] as number;
    return cores <= q.anyCores || (cores <= q.shortCores && q.t + (this.minWall[i] as number) <= q.deadline);
  }

  /** The first candidate leaf under node i, left to right, or NONE. */
  private firstIn(i: number): number {
    if (i >= this.size) return i - this.size;
    if (this.mayHold(2 * i)) {
      const r = this.firstIn(2 * i);
      if (r !== NONE) return r;
    }
    return this.mayHold(2 * i + 1) ? this.firstIn(2 * i + 1) : NONE;
  }
}
