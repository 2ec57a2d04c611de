/**
 * Free cores and GPUs per node, and gang placement: a job gets all it asks for at once or nothing.
 * Memory is not a constraint in the simulator (the seed topologies have 4 GiB per core, more than
 * any seed workload asks); a scheduler key about memory gets a warning from the presets.
 *
 * `place` runs several times per simulated event, so it searches in scratch buffers and allocates
 * only the allocation it returns; the node order of best-fit and spread is kept until the free
 * cores change.
 */
import { orderByFree } from './node-order.js';
import { applyUnits, flipUnits, pickUnits, UnitAllocation } from './unit-nodes.js';

export type PlacementRule = 'first-fit' | 'best-fit' | 'spread';

/**
 * What a job takes on each node it runs on. Plain arrays rather than typed ones: one is made per
 * job start, and a short typed array costs several times more to create. Values are whole
 * numbers, truncated as an Int32Array would store them.
 */
export interface Allocation {
  nodes: number[];
  cores: number[];
  gpus: number[];
}

/** Resource request: `nodes` > 0 fixes the node count (cores and GPUs spread evenly), 0 packs. */
export interface Request {
  cores: number;
  gpus: number;
  nodes: number;
}

export class NodeState {
  private readonly freeCores: Int32Array;
  private readonly freeGpus: Int32Array;
  totalFreeCores = 0;
  totalFreeGpus = 0;
  /** Bumped whenever free cores or GPUs change, so whatever was worked out from them knows it is stale. */
  private changes = 0;
  private orderRule: PlacementRule | undefined;
  private orderAll = false;
  private orderVersion = -1;
  private orderLen = 0;
  private readonly orderBuf: Int32Array;
  private readonly pickNodes: number[];
  private readonly pickCores: number[];
  private readonly pickGpus: number[];
  /** `usedBy[n] === stamp` marks node n as taken by the GPU phase of the current search. */
  private readonly usedBy: Int32Array;
  private stamp = 0;
  /** Σ max(0, min(free, cap's free)) over nodes, for the cap and the versions it was summed at. */
  private cappedCores = 0;
  private cappedFor: NodeState | undefined;
  private cappedVersion = -1;
  private cappedForVersion = -1;
  /**
   * Bit n set iff node n has a free core. Every placement rule skips nodes without one, so
   * first-fit walks the set bits instead of every node of a mostly busy cluster.
   */
  private readonly hasFree: Int32Array;
  /** Every node has one core and no GPU: packed CPU-only requests take bit masks (unit-nodes.ts). */
  readonly unit: boolean;
  /**
   * One-core nodes whose free cores are all 0 or 1, so `hasFree` says everything. Unit allocations
   * are then taken and given back by flipping bits alone, and `freeCores` is left `stale` until
   * a general path reads it (syncCores).
   */
  private binary: boolean;
  private stale = false;

  constructor(readonly capCores: Int32Array, readonly capGpus: Int32Array) {
    const n = capCores.length;
    this.unit = capCores.every((c) => c === 1) && capGpus.every((g) => g === 0);
    this.binary = this.unit;
    this.freeCores = Int32Array.from(capCores);
    this.freeGpus = Int32Array.from(capGpus);
    for (let i = 0; i < n; i++) {
      this.totalFreeCores += capCores[i] as number;
      this.totalFreeGpus += capGpus[i] as number;
    }
    this.orderBuf = new Int32Array(n);
    this.pickNodes = new Array<number>(n).fill(0);
    this.pickCores = new Array<number>(n).fill(0);
    this.pickGpus = new Array<number>(n).fill(0);
    this.usedBy = new Int32Array(n);
    this.hasFree = new Int32Array((n + 31) >> 5);
    for (let i = 0; i < n; i++) this.mark(i);
  }

  /** A counter that moves on every change of free resources. */
  get version(): number {
    return this.changes;
  }

  clone(): NodeState {
    const c = new NodeState(this.capCores, this.capGpus);
    c.copyFrom(this);
    return c;
  }

  /** Makes this state equal to `other` (same nodes), reusing its buffers. */
  copyFrom(other: NodeState): void {
    this.freeCores.set(other.freeCores);
    this.freeGpus.set(other.freeGpus);
    this.hasFree.set(other.hasFree);
    this.binary = other.binary;
    this.stale = other.stale;
    this.totalFreeCores = other.totalFreeCores;
    this.totalFreeGpus = other.totalFreeGpus;
    this.changes++;
  }

  /** Frees every node, reusing the buffers. */
  reset(): void {
    this.freeCores.set(this.capCores);
    this.freeGpus.set(this.capGpus);
    this.totalFreeCores = 0;
    this.totalFreeGpus = 0;
    for (let i = 0; i < this.capCores.length; i++) {
      this.totalFreeCores += this.capCores[i] as number;
      this.totalFreeGpus += this.capGpus[i] as number;
      this.mark(i);
    }
    this.binary = this.unit;
    this.stale = false;
    this.changes++;
  }

  /** Sets every node's free cores and GPUs (a plan's view of some interval), reusing the buffers. */
  assign(cores: ArrayLike<number>, gpus: ArrayLike<number>): void {
    this.totalFreeCores = 0;
    this.totalFreeGpus = 0;
    this.binary = this.unit;
    this.stale = false;
    for (let i = 0; i < this.capCores.length; i++) {
      this.freeCores[i] = cores[i] as number;
      this.freeGpus[i] = gpus[i] as number;
      this.totalFreeCores += cores[i] as number;
      this.totalFreeGpus += gpus[i] as number;
      this.mark(i);
      if (cores[i] !== 0 && cores[i] !== 1) this.binary = false;
    }
    this.changes++;
  }

  take(a: Allocation, sign = 1): void {
    if (a instanceof UnitAllocation) {
      if (this.binary && flipUnits(a, this.hasFree, sign)) this.stale = true;
      else {
        this.syncCores();
        if (!applyUnits(a, this.freeCores, this.hasFree, sign)) this.binary = false;
      }
      this.totalFreeCores -= sign * a.count;
      this.changes++;
      return;
    }
    this.apply(a.nodes, a.cores, a.gpus, a.nodes.length, sign);
  }

  release(a: Allocation): void {
    this.take(a, -1);
  }

  /** Where the request would go now, or undefined; `cap` optionally limits what each node may give. */
  place(req: Request, rule: PlacementRule, cap?: NodeState): Allocation | undefined {
    if (this.unitRequest(req, cap)) return req.cores > this.totalFreeCores ? undefined : pickUnits(this.hasFree, cap?.hasFree, req.cores);
    const picked = this.pick(req, rule, cap);
    if (picked < 0) return undefined;
    return { nodes: this.pickNodes.slice(0, picked), cores: this.pickCores.slice(0, picked), gpus: this.pickGpus.slice(0, picked) };
  }

  /** Places the request and takes what it needs at once, allocating nothing; false if it does not fit. */
  placeAndTake(req: Request, rule: PlacementRule): boolean {
    if (this.unitRequest(req, undefined)) {
      const a = this.place(req, rule);
      if (a) this.take(a);
      return a !== undefined;
    }
    const picked = this.pick(req, rule, undefined);
    if (picked < 0) return false;
    this.apply(this.pickNodes, this.pickCores, this.pickGpus, picked, 1);
    return true;
  }

  /**
   * Whether the request can be placed the unit way: a packed CPU-only request for a whole number
   * of cores on one-core nodes. Each free node (and cap node) then has exactly one core to give,
   * free never exceeding capacity, so every rule picks the lowest-numbered free nodes: best-fit
   * and spread order nodes by free cores, all equal here, then by index.
   */
  private unitRequest(req: Request, cap: NodeState | undefined): boolean {
    return this.unit && req.nodes <= 0 && !(req.gpus > 0) && Number.isInteger(req.cores) && req.cores >= 1 && (!cap || cap.unit);
  }

  /** Fills the pick buffers for the request; the number of nodes picked, or -1 if it does not fit. */
  private pick(req: Request, rule: PlacementRule, cap: NodeState | undefined): number {
    this.syncCores();
    cap?.syncCores();
    if (req.cores > this.totalFreeCores || req.gpus > this.totalFreeGpus) return -1;
    // A packed CPU-only request fits iff the capped free cores add up; EASY asks this many times
    // per event of jobs that do not fit in the extra resources.
    if (cap && req.nodes <= 0 && req.gpus <= 0 && req.cores > this.cappedFreeCores(cap)) return -1;
    if (req.nodes > 0) return this.pickFixed(req, rule, cap);
    if (rule === 'first-fit') return this.pickPacked(req, undefined, this.freeCores.length, cap);
    return this.pickPacked(req, this.orderBuf, this.order(rule, false), cap);
  }

  private apply(nodes: number[], cores: number[], gpus: number[], length: number, sign: number): void {
    this.syncCores();
    const freeCores = this.freeCores;
    const freeGpus = this.freeGpus;
    let sumCores = 0;
    let sumGpus = 0;
    for (let k = 0; k < length; k++) {
      const n = nodes[k] as number;
      const c = cores[k] as number;
      const g = gpus[k] as number;
      const was = freeCores[n] as number;
      freeCores[n] = was - sign * c;
      if (was > 0 !== (freeCores[n] as number) > 0) this.mark(n);
      if (freeCores[n] !== 0 && freeCores[n] !== 1) this.binary = false;
      if (g !== 0) freeGpus[n] = (freeGpus[n] as number) - sign * g;
      sumCores += c;
      sumGpus += g;
    }
    this.totalFreeCores -= sign * sumCores;
    this.totalFreeGpus -= sign * sumGpus;
    this.changes++;
  }

  /** `req.nodes` nodes that each have an even share free, in rule order; the count picked or -1. */
  private pickFixed(req: Request, rule: PlacementRule, cap: NodeState | undefined): number {
    const c = Math.ceil(req.cores / req.nodes);
    const g = Math.ceil(req.gpus / req.nodes);
    // Only a request for no cores per node may land on a node without a free core.
    const all = !(c >= 1);
    const order = rule === 'first-fit' ? undefined : this.orderBuf;
    const len = order ? this.order(rule, all) : this.freeCores.length;
    const walk = !order && !all;
    let k = 0;
    for (let i = walk ? this.nextFree(0) : 0; i < len; i = walk ? this.nextFree(i + 1) : i + 1) {
      const n = order ? (order[i] as number) : i;
      if (this.freeC(n, cap) < c || this.freeG(n, cap) < g) continue;
      this.pickNodes[k] = n;
      this.pickCores[k] = c | 0;
      this.pickGpus[k] = g | 0;
      if (++k === req.nodes) return k;
    }
    return -1;
  }

  /** GPUs first, each GPU node also giving cores (a GPU needs a core to drive it); then cores. */
  private pickPacked(req: Request, order: Int32Array | undefined, len: number, cap: NodeState | undefined): number {
    if (!order && !(req.gpus > 0)) return this.pickCoresFirstFit(req.cores, cap);
    const stamp = ++this.stamp;
    let remC = req.cores;
    let remG = req.gpus;
    let k = 0;
    // Nodes without a free core give neither cores nor GPUs below (c ≤ 0), so every rule skips them.
    const walk = !order;
    for (let i = walk ? this.nextFree(0) : 0; i < len && remG > 0; i = walk ? this.nextFree(i + 1) : i + 1) {
      const n = order ? (order[i] as number) : i;
      const g = Math.min(this.freeG(n, cap), remG);
      const c = Math.min(this.freeC(n, cap), Math.max(1, remC));
      if (g <= 0 || c <= 0) continue;
      this.usedBy[n] = stamp;
      this.pickNodes[k] = n;
      this.pickCores[k] = c | 0;
      this.pickGpus[k++] = g | 0;
      remG -= g;
      remC = Math.max(0, remC - c);
    }
    for (let i = walk ? this.nextFree(0) : 0; i < len && remC > 0; i = walk ? this.nextFree(i + 1) : i + 1) {
      const n = order ? (order[i] as number) : i;
      if (this.usedBy[n] === stamp) continue;
      const c = Math.min(this.freeC(n, cap), remC);
      if (c <= 0) continue;
      this.pickNodes[k] = n;
      this.pickCores[k] = c | 0;
      this.pickGpus[k++] = 0;
      remC -= c;
    }
    return remC > 0 || remG > 0 ? -1 : k;
  }

  /** First-fit without GPUs, the common case: cores from each node with a free core, in node order. */
  private pickCoresFirstFit(cores: number, cap: NodeState | undefined): number {
    const words = this.hasFree;
    let remC = cores;
    let k = 0;
    for (let w = 0; w < words.length && remC > 0; w++) {
      let m = words[w] as number;
      while (m !== 0 && remC > 0) {
        const low = m & -m;
        m ^= low;
        const n = (w << 5) + 31 - Math.clz32(low);
        const c = Math.min(this.freeC(n, cap), remC);
        if (c <= 0) continue;
        this.pickNodes[k] = n;
        this.pickCores[k] = c | 0;
        this.pickGpus[k++] = 0;
        remC -= c;
      }
    }
    return remC > 0 ? -1 : k;
  }

  private cappedFreeCores(cap: NodeState): number {
    if (this.cappedFor !== cap || this.cappedVersion !== this.changes || this.cappedForVersion !== cap.changes) {
      let sum = 0;
      const size = this.freeCores.length;
      for (let n = this.nextFree(0); n < size; n = this.nextFree(n + 1)) sum += Math.max(0, this.freeC(n, cap));
      this.cappedCores = sum;
      this.cappedFor = cap;
      this.cappedVersion = this.changes;
      this.cappedForVersion = cap.changes;
    }
    return this.cappedCores;
  }

  /** Brings `freeCores` up to date with the bits after unit allocations flipped them alone. */
  private syncCores(): void {
    if (!this.stale) return;
    const free = this.freeCores;
    for (let n = 0; n < free.length; n++) free[n] = ((this.hasFree[n >> 5] as number) >>> (n & 31)) & 1;
    this.stale = false;
  }

  private mark(n: number): void {
    const bit = 1 << (n & 31);
    const w = n >> 5;
    this.hasFree[w] = (this.freeCores[n] as number) > 0 ? (this.hasFree[w] as number) | bit : (this.hasFree[w] as number) & ~bit;
  }

  /** The first node ≥ `from` with a free core, or the node count if none. */
  private nextFree(from: number): number {
    const size = this.freeCores.length;
    if (from >= size) return size;
    let w = from >> 5;
    let m = (this.hasFree[w] as number) & (-1 << (from & 31));
    while (m === 0) {
      if (++w >= this.hasFree.length) return size;
      m = this.hasFree[w] as number;
    }
    return (w << 5) + 31 - Math.clz32(m & -m);
  }

  private freeC(n: number, cap: NodeState | undefined): number {
    const f = this.freeCores[n] as number;
    return cap ? Math.min(f, cap.freeCores[n] as number) : f;
  }

  private freeG(n: number, cap: NodeState | undefined): number {
    const f = this.freeGpus[n] as number;
    return cap ? Math.min(f, cap.freeGpus[n] as number) : f;
  }

  /**
   * Fills `orderBuf` with the nodes in rule order and returns how many. Nodes without a free core
   * are left out unless `all`: no request can use them but one for no cores per node. Kept until
   * the free cores change.
   */
  private order(rule: PlacementRule, all: boolean): number {
    if (this.orderRule !== rule || this.orderAll !== all || this.orderVersion !== this.changes) {
      this.orderLen = orderByFree(rule, this.freeCores, all ? (n) => n : (n) => this.nextFree(n), this.orderBuf);
      this.orderRule = rule;
      this.orderAll = all;
      this.orderVersion = this.changes;
    }
    return this.orderLen;
  }
}
