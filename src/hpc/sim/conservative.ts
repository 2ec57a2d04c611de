/**
 * Conservative backfilling: every queued job in priority order gets a reservation at its
 * earliest feasible time — now or when some planned allocation ends; a job starts now only if
 * that does not delay any earlier reservation. A planned allocation (a running job until its
 * estimated end, or a reservation) counts against a node for every window it intersects (a safe
 * bound).
 *
 * At each candidate time the cores and GPUs held by the planned allocations that intersect the
 * window are summed first, from running sums over the plan sorted by start and by end; only
 * where those totals leave room is the window built node by node and the job placed (placing
 * fails anyway where they do not). That keeps a pass from costing queue × plan × plan.
 */
import type { JobSpec } from '../workload/job.js';
import type { Pass } from './backfill.js';
import type { Allocation } from './placement.js';

interface Planned {
  start: number;
  end: number;
  alloc: Allocation;
  cores: number;
  gpus: number;
}

/** Planned allocations, sorted by start and by end, with running sums of cores and GPUs. */
class Plan {
  readonly items: Planned[] = [];
  readonly byEnd: Planned[] = [];
  private readonly byStart: Planned[] = [];
  /** Sums over the first i of byStart / byEnd: [cores, gpus] at 2i, 2i+1. */
  private startSums = [0, 0];
  private endSums = [0, 0];
  /** Whether every planned start ≤ its end, which the sums rely on. */
  private ordered = true;

  add(x: Planned): void {
    this.items.push(x);
    this.ordered &&= x.start <= x.end;
    this.startSums = insert(this.byStart, x, x.start, (y) => y.start);
    this.endSums = insert(this.byEnd, x, x.end, (y) => y.end);
  }

  /** Cores and GPUs held by planned allocations that intersect [t0, t0 + wall). */
  heldDuring(t0: number, wall: number): [number, number] {
    const s = t0 + wall;
    if (!this.ordered || !(s > t0)) return this.heldByScan(t0, wall);
    // Those starting before the window ends, less those ending by its start (which all start before it ends).
    const a = 2 * countBelow(this.byStart, (y) => y.start < s);
    const b = 2 * countBelow(this.byEnd, (y) => y.end <= t0);
    return [(this.startSums[a] as number) - (this.endSums[b] as number), (this.startSums[a + 1] as number) - (this.endSums[b + 1] as number)];
  }

  /** Candidate start times: `now`, then every later planned end, ascending. */
  times(now: number): number[] {
    if (!this.ordered) return [now, ...this.items.map((x) => x.end).filter((e) => e > now)].sort((a, b) => a - b);
    const out = [now];
    // The same time twice would give the same answer twice.
    for (const x of this.byEnd) if (x.end > now && x.end !== out[out.length - 1]) out.push(x.end);
    return out;
  }

  private heldByScan(t0: number, wall: number): [number, number] {
    let cores = 0;
    let gpus = 0;
    for (const x of this.items) {
      if (!overlaps(x, t0, wall)) continue;
      cores += x.cores;
      gpus += x.gpus;
    }
    return [cores, gpus];
  }
}

const overlaps = (x: Planned, t0: number, wall: number) => x.start < t0 + wall && x.end > t0;

/** How many items from the front satisfy `below` (which holds for a prefix). */
function countBelow(items: Planned[], below: (y: Planned) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(items[mid] as Planned)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts x after every item with a key ≤ `key`; returns the new running sums. */
function insert(items: Planned[], x: Planned, key: number, keyOf: (y: Planned) => number): number[] {
  items.splice(countBelow(items, (y) => keyOf(y) <= key), 0, x);
  const sums = [0, 0];
  for (const y of items) sums.push((sums[sums.length - 2] as number) + y.cores, (sums[sums.length - 1] as number) + y.gpus);
  return sums;
}

function totals(alloc: Allocation): [number, number] {
  let cores = 0;
  let gpus = 0;
  for (let k = 0; k < alloc.nodes.length; k++) {
    cores += alloc.cores[k] as number;
    gpus += alloc.gpus[k] as number;
  }
  return [cores, gpus];
}

/** Conservative backfilling over the queue in priority order. */
export function conservative(p: Pass, list: Iterable<number>): void {
  const r = p.running;
  const plan = new Plan();
  for (let i = 0; i < r.length; i++) {
    const j = r.at(i);
    plan.add({ start: r.start[j] as number, end: r.estEnd[j] as number, alloc: r.alloc[j] as Allocation, cores: r.cores[j] as number, gpus: r.gpus[j] as number });
  }
  const free = p.scratch;
  free.reset();
  const allCores = free.totalFreeCores;
  const allGpus = free.totalFreeGpus;
  let blocked = false;
  let k = 0;
  for (const j of list) {
    const spec = p.jobs[j] as JobSpec;
    if (k++ > p.policy.backfillDepth) break;
    for (const t0 of plan.times(p.t)) {
      const [cores, gpus] = plan.heldDuring(t0, spec.walltime);
      if (spec.cores > allCores - cores || spec.gpus > allGpus - gpus) continue;
      free.reset();
      for (const x of plan.items) if (overlaps(x, t0, spec.walltime)) free.take(x.alloc);
      const alloc = free.place(spec, p.policy.placement);
      if (!alloc) continue;
      // Beyond the window a job gets no reservation, so it holds nothing back.
      if (t0 > p.t + (p.policy.backfillWindow ?? Infinity)) break;
      const [c, g] = totals(alloc);
      plan.add({ start: t0, end: t0 + spec.walltime, alloc, cores: c, gpus: g });
      if (t0 === p.t) p.start(j, alloc, p.t, blocked);
      else blocked = true;
      break;
    }
  }
}
