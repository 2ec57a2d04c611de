/** A binary min-heap of (time, job index) pairs in typed arrays: no allocation per event. */
export class MinHeap {
  private keys = new Float64Array(64);
  private vals = new Int32Array(64);
  size = 0;

  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.vals = v;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.keys[parent] as number) <= key) break;
      this.keys[i] = this.keys[parent] as number;
      this.vals[i] = this.vals[parent] as number;
      i = parent;
    }
    this.keys[i] = key;
    this.vals[i] = val;
  }

  peekKey(): number {
    return this.keys[0] as number;
  }

  peekVal(): number {
    return this.vals[0] as number;
  }

  /** Removes the smallest pair and returns its value. */
  pop(): number {
    const top = this.vals[0] as number;
    const n = --this.size;
    const key = this.keys[n] as number;
    const val = this.vals[n] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (this.keys[c + 1] as number) < (this.keys[c] as number)) c++;
      if ((this.keys[c] as number) >= key) break;
      this.keys[i] = this.keys[c] as number;
      this.vals[i] = this.vals[c] as number;
      i = c;
    }
    this.keys[i] = key;
    this.vals[i] = val;
    return top;
  }
}
