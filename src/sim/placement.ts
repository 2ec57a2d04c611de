/**
 * Free cores and GPUs per node, and gang placement: a job gets all it asks for at once or nothing.
 * Memory is not a constraint in the simulator (the seed topologies have 4 GiB per core, more than
 * any seed workload asks); a scheduler key about memory gets a warning from the presets.
 */

export type PlacementRule = 'first-fit' | 'best-fit' | 'spread';

/** What a job takes on each node it runs on. */
export interface Allocation {
  nodes: Int32Array;
  cores: Int32Array;
  gpus: Int32Array;
}

/** Resource request: `nodes` > 0 fixes the node count (cores and GPUs spread evenly), 0 packs. */
export interface Request {
  cores: number;
  gpus: number;
  nodes: number;
}

export class NodeState {
  readonly freeCores: Int32Array;
  readonly freeGpus: Int32Array;
  totalFreeCores = 0;
  totalFreeGpus = 0;

  constructor(readonly capCores: Int32Array, readonly capGpus: Int32Array) {
    this.freeCores = Int32Array.from(capCores);
    this.freeGpus = Int32Array.from(capGpus);
    for (let i = 0; i < capCores.length; i++) {
      this.totalFreeCores += capCores[i] as number;
      this.totalFreeGpus += capGpus[i] as number;
    }
  }

  clone(): NodeState {
    const c = new NodeState(this.capCores, this.capGpus);
    c.freeCores.set(this.freeCores);
    c.freeGpus.set(this.freeGpus);
    c.totalFreeCores = this.totalFreeCores;
    c.totalFreeGpus = this.totalFreeGpus;
    return c;
  }

  take(a: Allocation, sign = 1): void {
    for (let k = 0; k < a.nodes.length; k++) {
      const n = a.nodes[k] as number;
      this.freeCores[n] = (this.freeCores[n] as number) - sign * (a.cores[k] as number);
      this.freeGpus[n] = (this.freeGpus[n] as number) - sign * (a.gpus[k] as number);
      this.totalFreeCores -= sign * (a.cores[k] as number);
      this.totalFreeGpus -= sign * (a.gpus[k] as number);
    }
  }

  release(a: Allocation): void {
    this.take(a, -1);
  }

  /** Where the request would go now, or undefined; `cap` optionally limits what each node may give. */
  place(req: Request, rule: PlacementRule, cap?: NodeState): Allocation | undefined {
    if (req.cores > this.totalFreeCores || req.gpus > this.totalFreeGpus) return undefined;
    const order = this.order(rule);
    const freeC = (n: number) => Math.min(this.freeCores[n] as number, cap ? (cap.freeCores[n] as number) : Infinity);
    const freeG = (n: number) => Math.min(this.freeGpus[n] as number, cap ? (cap.freeGpus[n] as number) : Infinity);
    const nodes: number[] = [];
    const cores: number[] = [];
    const gpus: number[] = [];
    if (req.nodes > 0) {
      const c = Math.ceil(req.cores / req.nodes);
      const g = Math.ceil(req.gpus / req.nodes);
      for (const n of order) {
        if (freeC(n) >= c && freeG(n) >= g) {
          nodes.push(n);
          cores.push(c);
          gpus.push(g);
          if (nodes.length === req.nodes) break;
        }
      }
      if (nodes.length < req.nodes) return undefined;
    } else {
      let remC = req.cores;
      let remG = req.gpus;
      const used = new Map<number, number>();
      // GPUs first, each GPU node also gets cores (a GPU needs a core to drive it).
      for (const n of order) {
        if (remG <= 0) break;
        const g = Math.min(freeG(n), remG);
        const c = Math.min(freeC(n), Math.max(1, remC));
        if (g <= 0 || c <= 0) continue;
        used.set(n, nodes.length);
        nodes.push(n);
        cores.push(c);
        gpus.push(g);
        remG -= g;
        remC = Math.max(0, remC - c);
      }
      for (const n of order) {
        if (remC <= 0) break;
        if (used.has(n)) continue;
        const c = Math.min(freeC(n), remC);
        if (c <= 0) continue;
        nodes.push(n);
        cores.push(c);
        gpus.push(0);
        remC -= c;
      }
      if (remC > 0 || remG > 0) return undefined;
    }
    return { nodes: Int32Array.from(nodes), cores: Int32Array.from(cores), gpus: Int32Array.from(gpus) };
  }

  private identity: number[] | undefined;

  private order(rule: PlacementRule): number[] {
    this.identity ??= Array.from({ length: this.freeCores.length }, (_, i) => i);
    if (rule === 'first-fit') return this.identity;
    const idx = [...this.identity];
    if (rule === 'best-fit') idx.sort((a, b) => (this.freeCores[a] as number) - (this.freeCores[b] as number) || a - b);
    else if (rule === 'spread') idx.sort((a, b) => (this.freeCores[b] as number) - (this.freeCores[a] as number) || a - b);
    return idx;
  }
}
