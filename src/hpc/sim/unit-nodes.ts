/**
 * Clusters of one-core nodes without GPUs — the processor model of the literature, where a node
 * is a processor. There a packed first-fit request takes the lowest-numbered free nodes, one core
 * each, so an allocation is a set of nodes and can be held as 32-node bit masks: picking, taking
 * and giving back cost a few word operations per 32 nodes instead of work per node, and nothing
 * per node is allocated for a job. Observers and the pinned digests still see the per-node lists
 * (`nodes`, `cores`, `gpus`), built from the masks only when read.
 */
import type { Allocation } from './placement.js';

/** An allocation on one-core nodes: `masks` holds (word, bits) pairs, word w covering nodes 32w..32w+31. */
export class UnitAllocation implements Allocation {
  private list: number[] | undefined;
  private coreList: number[] | undefined;
  private gpuList: number[] | undefined;

  constructor(
    readonly masks: number[],
    /** Nodes (and cores) taken. */
    readonly count: number,
  ) {}

  /** The nodes taken, in ascending order, as first-fit picks them. */
  get nodes(): number[] {
    if (!this.list) {
      const out: number[] = [];
      for (let k = 0; k < this.masks.length; k += 2) {
        const base = (this.masks[k] as number) << 5;
        for (let m = this.masks[k + 1] as number; m !== 0; m &= m - 1) out.push(base + 31 - Math.clz32(m & -m));
      }
      this.list = out;
    }
    return this.list;
  }

  /** One core on each node; made once, when first read, like `nodes`. */
  get cores(): number[] {
    this.coreList ??= new Array<number>(this.count).fill(1);
    return this.coreList;
  }

  get gpus(): number[] {
    this.gpuList ??= new Array<number>(this.count).fill(0);
    return this.gpuList;
  }
}

/** Bits set in a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Where pickUnits collects (word, bits) pairs; one per process, as picks never overlap. */
const pickBuffer: number[] = [];

/**
 * The first `cores` nodes (node order) whose bit is set in `free` and, when given, in `cap`, or
 * undefined if there are fewer. `cores` is a whole number ≥ 1.
 */
export function pickUnits(free: Int32Array, cap: Int32Array | undefined, cores: number): UnitAllocation | undefined {
  const masks = pickBuffer;
  masks.length = 0;
  let rem = cores;
  for (let w = 0; w < free.length && rem > 0; w++) {
    let m = cap ? (free[w] as number) & (cap[w] as number) : (free[w] as number);
    if (m === 0) continue;
    const n = popcount(m);
    if (n > rem) {
      // Keep the lowest `rem` bits: clear the others from the top.
      for (let drop = n - rem; drop > 0; drop--) m ^= 1 << (31 - Math.clz32(m));
      masks.push(w, m);
      rem = 0;
      break;
    }
    masks.push(w, m);
    rem -= n;
  }
  // A copy of just the pairs: an array grown by push from empty keeps room for 16 or more.
  return rem > 0 ? undefined : new UnitAllocation(masks.slice(), cores);
}

/**
 * Takes (sign 1) or gives back (sign −1) a unit allocation where every node has 0 or 1 free
 * core, by bits alone: possible when each node taken has its core free (or, giving back, none),
 * so that it stays 0 or 1. Returns false, changing nothing, otherwise.
 */
export function flipUnits(a: UnitAllocation, hasFree: Int32Array, sign: number): boolean {
  const masks = a.masks;
  for (let k = 0; k < masks.length; k += 2) {
    const m = masks[k + 1] as number;
    const have = (hasFree[masks[k] as number] as number) & m;
    if (sign > 0 ? have !== m : have !== 0) return false;
  }
  for (let k = 0; k < masks.length; k += 2) {
    const w = masks[k] as number;
    const m = masks[k + 1] as number;
    hasFree[w] = sign > 0 ? (hasFree[w] as number) & ~m : (hasFree[w] as number) | m;
  }
  return true;
}

/**
 * Takes (sign 1) or gives back (sign −1) a unit allocation on per-node free cores, keeping the
 * has-a-free-core bits in step; exact for any free counts. Returns whether every node it touched
 * is left with 0 or 1 free core.
 */
export function applyUnits(a: UnitAllocation, freeCores: Int32Array, hasFree: Int32Array, sign: number): boolean {
  let binary = true;
  const masks = a.masks;
  for (let k = 0; k < masks.length; k += 2) {
    const w = masks[k] as number;
    const base = w << 5;
    let set = hasFree[w] as number;
    for (let m = masks[k + 1] as number; m !== 0; m &= m - 1) {
      const bit = m & -m;
      const n = base + 31 - Math.clz32(bit);
      const v = (freeCores[n] as number) - sign;
      freeCores[n] = v;
      set = v > 0 ? set | bit : set & ~bit;
      if (v !== 0 && v !== 1) binary = false;
    }
    hasFree[w] = set;
  }
  return binary;
}

/** Cores and GPUs an allocation holds in all. */
export function coresOf(a: Allocation): number {
  if (a instanceof UnitAllocation) return a.count;
  let s = 0;
  for (let k = 0; k < a.cores.length; k++) s += a.cores[k] as number;
  return s;
}

export function gpusOf(a: Allocation): number {
  if (a instanceof UnitAllocation) return 0;
  let s = 0;
  for (let k = 0; k < a.gpus.length; k++) s += a.gpus[k] as number;
  return s;
}

/** How many nodes an allocation spans. */
export function nodeCountOf(a: Allocation): number {
  return a instanceof UnitAllocation ? a.count : a.nodes.length;
}
