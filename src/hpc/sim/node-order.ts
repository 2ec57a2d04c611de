/**
 * The node order of best-fit and spread placement: nodes by free cores, ascending for best-fit
 * (fullest first) and descending for spread, ties by node index. A counting sort, since free
 * cores span a small range; it runs whenever the free cores have changed since the last one.
 */
import type { PlacementRule } from './placement.js';

/**
 * Writes the nodes that `next` walks (next(0), next(n + 1), … until it returns `free.length`) into
 * `out` in rule order and returns how many there are.
 */
export function orderByFree(rule: PlacementRule, free: Int32Array, next: (from: number) => number, out: Int32Array): number {
  const size = free.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let n = next(0); n < size; n = next(n + 1)) {
    lo = Math.min(lo, free[n] as number);
    hi = Math.max(hi, free[n] as number);
  }
  const starts = new Int32Array(lo <= hi ? hi - lo + 2 : 1);
  const bucket = (n: number) => (rule === 'best-fit' ? (free[n] as number) - lo : hi - (free[n] as number));
  for (let n = next(0); n < size; n = next(n + 1)) starts[bucket(n) + 1] = (starts[bucket(n) + 1] as number) + 1;
  for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
  let len = 0;
  for (let n = next(0); n < size; n = next(n + 1)) {
    const b = bucket(n);
    const at = starts[b] as number;
    out[at] = n;
    starts[b] = at + 1;
    len++;
  }
  return len;
}
