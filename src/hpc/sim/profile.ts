/**
 * An availability profile: free cores and GPUs as a step function of time, the structure
 * conservative backfilling plans on. Segment i holds from `times[i]` to `times[i + 1]` (the last
 * one for ever). Planned allocations are subtracted over their interval and added back when
 * they go; the segments before the current time are dropped as time moves on.
 *
 * Finding the earliest start of a job is one walk from now over the segments, keeping the
 * earliest start the walk has not ruled out, so a pass over the queue costs the queue times the
 * segments ahead (about the running plus reserved jobs), with no per-candidate re-summing.
 */
export class Profile {
  private times: number[] = [-Infinity];
  private cores: number[];
  private gpus: number[];

  constructor(cores: number, gpus: number) {
    this.cores = [cores];
    this.gpus = [gpus];
  }

  /** Number of segments, for tests and benchmarks. */
  get length(): number {
    return this.times.length;
  }

  /** The segment holding time t: the last i with times[i] ≤ t. */
  private index(t: number): number {
    const times = this.times;
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((times[mid] as number) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Makes t a segment boundary; returns the index of the segment starting at t. */
  private split(t: number): number {
    const i = this.index(t);
    if (this.times[i] === t) return i;
    this.times.splice(i + 1, 0, t);
    this.cores.splice(i + 1, 0, this.cores[i] as number);
    this.gpus.splice(i + 1, 0, this.gpus[i] as number);
    return i + 1;
  }

  /** Adds (dc, dg) to the free resources over [t0, t1); negative to plan an allocation. */
  add(t0: number, t1: number, dc: number, dg: number): void {
    if (!(t1 > t0)) return;
    const i0 = this.split(t0);
    const i1 = t1 === Infinity ? this.times.length : this.split(t1);
    for (let i = i0; i < i1; i++) {
      this.cores[i] = (this.cores[i] as number) + dc;
      this.gpus[i] = (this.gpus[i] as number) + dg;
    }
  }

  /**
   * The earliest s ≥ now at which (cores, gpus) are free throughout [s, s + duration), or
   * Infinity. Free resources only change at segment boundaries, so s is now or a boundary.
   */
  earliest(now: number, duration: number, cores: number, gpus: number): number {
    const times = this.times;
    const n = times.length;
    let s = now;
    for (let j = this.index(now); j < n; j++) {
      const end = j + 1 < n ? (times[j + 1] as number) : Infinity;
      if ((this.cores[j] as number) < cores || (this.gpus[j] as number) < gpus) {
        s = end;
        continue;
      }
      if (end >= s + duration) return s;
    }
    return Infinity;
  }

  /** The fewest free cores and GPUs at any time in [t0, t1) (at t0 alone if the interval is empty). */
  minOver(t0: number, t1: number): [number, number] {
    const times = this.times;
    const i = this.index(t0);
    let c = this.cores[i] as number;
    let g = this.gpus[i] as number;
    for (let j = i + 1; j < times.length && (times[j] as number) < t1; j++) {
      c = Math.min(c, this.cores[j] as number);
      g = Math.min(g, this.gpus[j] as number);
    }
    return [c, g];
  }

  /** The first segment boundary after t, or Infinity. */
  nextBoundary(t: number): number {
    const i = this.index(t) + 1;
    return i < this.times.length ? (this.times[i] as number) : Infinity;
  }

  /** Forgets the segments that ended by t (the profile is never asked about the past). */
  dropBefore(t: number): void {
    const i = this.index(t);
    if (i === 0) return;
    this.times.splice(0, i);
    this.cores.splice(0, i);
    this.gpus.splice(0, i);
  }
}
