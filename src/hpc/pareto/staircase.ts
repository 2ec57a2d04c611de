/**
 * A 2-D staircase of mutually non-dominated (y, z) pairs — y ascending, z descending — held in a
 * treap (randomised balanced search tree) over typed arrays. Every operation is O(log n) expected,
 * including on inputs where the whole set is one front, so the 3-objective sweep stays
 * O(n log n) whatever the data.
 */
export class Staircase {
  private readonly ys: Float64Array;
  private readonly zs: Float64Array;
  private readonly pri: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private root = -1;
  private next = 0;
  private seed = 0x9e3779b9;
  // Results of `split`, returned through fields to avoid allocating a pair per call.
  private splitL = -1;
  private splitR = -1;

  /** `capacity`: the most steps ever inserted (the number of points swept). */
  constructor(capacity: number) {
    this.ys = new Float64Array(capacity);
    this.zs = new Float64Array(capacity);
    this.pri = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
  }

  /** True when some step has y <= `y` and z <= `z`. */
  covers(y: number, z: number): boolean {
    // The last step with y' <= y has the smallest z among them.
    let t = this.root;
    let best = -1;
    while (t >= 0) {
      if ((this.ys[t] as number) <= y) {
        best = t;
        t = this.right[t] as number;
      } else t = this.left[t] as number;
    }
    return best >= 0 && (this.zs[best] as number) <= z;
  }

  /** Adds (y, z), which must not be covered, and drops the steps it covers. */
  insert(y: number, z: number): void {
    const n = this.next++;
    this.ys[n] = y;
    this.zs[n] = z;
    this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
    this.pri[n] = this.seed;
    this.left[n] = -1;
    this.right[n] = -1;
    this.split(this.root, (t) => (this.ys[t] as number) < y);
    const below = this.splitL;
    // Among steps with y' >= y, those with z' >= z form a prefix because z descends along y.
    this.split(this.splitR, (t) => (this.zs[t] as number) >= z);
    this.root = this.merge(this.merge(below, n), this.splitR);
  }

  /** Splits `t` into the in-order prefix where `inLeft` holds and the rest. */
  private split(t: number, inLeft: (t: number) => boolean): void {
    if (t < 0) {
      this.splitL = -1;
      this.splitR = -1;
      return;
    }
    if (inLeft(t)) {
      this.split(this.right[t] as number, inLeft);
      this.right[t] = this.splitL;
      this.splitL = t;
    } else {
      this.split(this.left[t] as number, inLeft);
      this.left[t] = this.splitR;
      this.splitR = t;
    }
  }

  private merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    if ((this.pri[a] as number) > (this.pri[b] as number)) {
      this.right[a] = this.merge(this.right[a] as number, b);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b] as number);
    return b;
  }
}
