/**
 * An availability profile: free cores and GPUs as a step function of time, the structure
 * conservative backfilling plans on. Segment i holds from `times[i]` to `times[i + 1]` (the last
 * one for ever). Planned allocations are subtracted over their interval and added back when
 * they go; the segments before the current time are dropped as time moves on.
 *
 * Finding the earliest start of a job is one walk from now over the segments, keeping the
 * earliest start the walk has not ruled out, so a pass over the queue costs the queue times the
 * segments ahead (about the running plus reserved jobs), with no per-candidate re-summing.
 *
 * The segments live in typed arrays between `lo` and `hi`: dropping the past moves `lo` (no
 * copy), a new boundary shifts the segments after it by one, and the live part is moved back
 * to the front only when the arrays fill up — a profile is touched at every scheduling event,
 * so neither an allocation nor a front-of-array splice per event.
 */
export class Profile {
  private times: Float64Array;
  private cores: Float64Array;
  private gpus: Float64Array;
  private lo = 0;
  private hi = 1;

  constructor(cores: number, gpus: number) {
    this.times = new Float64Array(16);
    this.cores = new Float64Array(16);
    this.gpus = new Float64Array(16);
    this.times[0] = -Infinity;
    this.cores[0] = cores;
    this.gpus[0] = gpus;
  }

  /** Number of segments, for tests and benchmarks. */
  get length(): number {
    return this.hi - this.lo;
  }

  /** The segment holding time t: the last i with times[i] ≤ t (the first live one if none). */
  private index(t: number): number {
    const times = this.times;
    let lo = this.lo;
    let hi = this.hi - 1;
    // Most lookups are at now (the first segment) or past the last boundary (a new reservation).
    if (lo === hi || t < (times[lo + 1] as number)) return lo;
    if ((times[hi] as number) <= t) return hi;
    lo += 1;
    hi -= 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((times[mid] as number) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Room for one more segment at the end: the live part moved to the front, or the arrays doubled. */
  private makeRoom(): void {
    const n = this.hi - this.lo;
    const size = n + 1 > this.times.length / 2 ? this.times.length * 2 : this.times.length;
    const move = (a: Float64Array) => {
      if (size === a.length) return a.copyWithin(0, this.lo, this.hi);
      const b = new Float64Array(size);
      b.set(a.subarray(this.lo, this.hi));
      return b;
    };
    this.times = move(this.times);
    this.cores = move(this.cores);
    this.gpus = move(this.gpus);
    this.lo = 0;
    this.hi = n;
  }

  /** Makes t a segment boundary; returns the index of the segment starting at t. */
  private split(t: number): number {
    let i = this.index(t);
    if (this.times[i] === t) return i;
    if (this.hi === this.times.length) {
      i -= this.lo;
      this.makeRoom();
    }
    const hi = this.hi++;
    const times = this.times;
    const cores = this.cores;
    const gpus = this.gpus;
    if (hi - i < 32) {
      // A node's profile is short: a loop beats three copyWithin calls.
      for (let k = hi; k > i + 1; k--) {
        times[k] = times[k - 1] as number;
        cores[k] = cores[k - 1] as number;
        gpus[k] = gpus[k - 1] as number;
      }
    } else {
      times.copyWithin(i + 2, i + 1, hi);
      cores.copyWithin(i + 2, i + 1, hi);
      gpus.copyWithin(i + 2, i + 1, hi);
    }
    times[i + 1] = t;
    cores[i + 1] = cores[i] as number;
    gpus[i + 1] = gpus[i] as number;
    return i + 1;
  }

  /** Adds (dc, dg) to the free resources over [t0, t1); negative to plan an allocation. */
  add(t0: number, t1: number, dc: number, dg: number): void {
    if (!(t1 > t0)) return;
    let end = t1 === Infinity ? -1 : this.split(t1);
    const size = this.hi - this.lo;
    const lo = this.lo;
    const i0 = this.split(t0);
    // Splitting at t0 < t1 inserts before t1's segment, and may move the live part to the front.
    end = end < 0 ? this.hi : end + (this.hi - this.lo - size) - (lo - this.lo);
    const cores = this.cores;
    const gpus = this.gpus;
    for (let i = i0; i < end; i++) cores[i] = (cores[i] as number) + dc;
    if (dg !== 0) for (let i = i0; i < end; i++) gpus[i] = (gpus[i] as number) + dg;
  }

  /**
   * The earliest s ≥ now at which (cores, gpus) are free throughout [s, s + duration), or
   * Infinity. Free resources only change at segment boundaries, so s is now or a boundary.
   */
  earliest(now: number, duration: number, cores: number, gpus: number): number {
    const times = this.times;
    const free = this.cores;
    const freeG = this.gpus;
    const n = this.hi;
    let s = now;
    for (let j = this.index(now); j < n; j++) {
      const end = j + 1 < n ? (times[j + 1] as number) : Infinity;
      if ((free[j] as number) < cores || (freeG[j] as number) < gpus) {
        s = end;
        continue;
      }
      if (end >= s + duration) return s;
    }
    return Infinity;
  }

  /**
   * The fewest free cores at any time in [t0, t1) (at t0 alone if the interval is empty) — or,
   * as soon as the walk meets a time with none free, that value (≤ 0: nothing to give).
   */
  coresThroughout(t0: number, t1: number): number {
    const times = this.times;
    const free = this.cores;
    const i = this.index(t0);
    let c = free[i] as number;
    for (let j = i + 1; c > 0 && j < this.hi && (times[j] as number) < t1; j++) c = Math.min(c, free[j] as number);
    return c;
  }

  /** The fewest free cores and GPUs at any time in [t0, t1) (at t0 alone if the interval is empty). */
  minOver(t0: number, t1: number): [number, number] {
    const times = this.times;
    const i = this.index(t0);
    let c = this.cores[i] as number;
    let g = this.gpus[i] as number;
    for (let j = i + 1; j < this.hi && (times[j] as number) < t1; j++) {
      c = Math.min(c, this.cores[j] as number);
      g = Math.min(g, this.gpus[j] as number);
    }
    return [c, g];
  }

  /** The first segment boundary after t, or Infinity. */
  nextBoundary(t: number): number {
    const i = this.index(t) + 1;
    return i < this.hi ? (this.times[i] as number) : Infinity;
  }

  /** Forgets the segments that ended by t (the profile is never asked about the past). */
  dropBefore(t: number): void {
    this.lo = this.index(t);
  }
}
