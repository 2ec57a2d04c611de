/**
 * The first Pareto front of points given as objective columns, all to be minimised.
 *
 * Sort-based (Kung-style): sort indices lexicographically, so a point can only be dominated by
 * one that comes before it; then sweep, keeping only the non-dominated points seen so far in a
 * structure sized to the number of objectives. Identical vectors share a verdict, so duplicates
 * are either all on the front or all off it.
 */
import { Staircase } from './staircase.js';

/** Indices `0..n-1` sorted lexicographically by the columns (first column first). */
export function lexOrder(columns: readonly Float64Array[], subset?: Uint32Array): Uint32Array {
  const n = columns[0]?.length ?? 0;
  const order = subset ? Uint32Array.from(subset) : Uint32Array.from({ length: n }, (_, i) => i);
  const c0 = columns[0];
  if (!c0) return order;
  order.sort((a, b) => {
    for (const col of columns) {
      const d = (col[a] as number) - (col[b] as number);
      if (d !== 0) return d;
    }
    return a - b;
  });
  return order;
}

function sameVector(columns: readonly Float64Array[], a: number, b: number): boolean {
  for (const col of columns) if (col[a] !== col[b]) return false;
  return true;
}

/**
 * Marks the non-dominated points among `subset` (default: all) in `out` (1 = on the front).
 * Values must be finite; callers drop NaN rows first.
 */
export function markFirstFront(
  columns: readonly Float64Array[],
  out: Uint8Array,
  subset?: Uint32Array,
): void {
  const order = lexOrder(columns, subset);
  const k = columns.length;
  const test = k <= 1 ? oneObjective() : k === 2 ? twoObjectives(columns) : k === 3 ? threeObjectives(columns, order.length) : manyObjectives(columns);
  let prev = -1;
  let prevVerdict = false;
  for (const i of order) {
    // Duplicates of the previous unique vector inherit its verdict, before the structure sees them.
    const verdict: boolean = prev >= 0 && sameVector(columns, prev, i) ? prevVerdict : test(i);
    out[i] = verdict ? 1 : 0;
    prev = i;
    prevVerdict = verdict;
  }
}

/** Returns true when point `i` (visited in lex order, unique) is non-dominated, and records it. */
type FrontTest = (i: number) => boolean;

function oneObjective(): FrontTest {
  let seen = false;
  return () => {
    const first = !seen;
    seen = true;
    return first;
  };
}

function twoObjectives(columns: readonly Float64Array[]): FrontTest {
  const y = columns[1] as Float64Array;
  let best = Infinity;
  return (i) => {
    const v = y[i] as number;
    if (v < best) {
      best = v;
      return true;
    }
    return false;
  };
}

/** Front points so far, projected on (y, z); lex order already guarantees their x is no larger. */
function threeObjectives(columns: readonly Float64Array[], capacity: number): FrontTest {
  const y = columns[1] as Float64Array;
  const z = columns[2] as Float64Array;
  const stairs = new Staircase(capacity);
  return (i) => {
    const py = y[i] as number;
    const pz = z[i] as number;
    if (stairs.covers(py, pz)) return false;
    stairs.insert(py, pz);
    return true;
  };
}

function manyObjectives(columns: readonly Float64Array[]): FrontTest {
  const front: number[] = [];
  const rest = columns.slice(1);
  return (i) => {
    for (const q of front) {
      let dominated = true;
      for (const col of rest) {
        if ((col[q] as number) > (col[i] as number)) {
          dominated = false;
          break;
        }
      }
      if (dominated) return false;
    }
    front.push(i);
    return true;
  };
}
