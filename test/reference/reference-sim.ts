/**
 * A deliberately naive scheduler simulator, written apart from src/hpc/sim to check it job for
 * job. Plain arrays, no indexes: at every event it rescans the queue, the running jobs and every
 * planned interval. Slow on purpose, and short enough to read against the textbook:
 *
 * - events: at each time, jobs that end leave first, then arrivals join, then one pass runs
 * - fcfs: start jobs in queue order until one does not fit
 * - easy: the blocked head's shadow time is the first estimated end T (running jobs by estimated
 *   end) at which the head fits once every job estimated to end by T has ended; the extra
 *   resources are what is left then after the head; the next `depth` jobs may start if they fit
 *   now and end by T or fit in the extra
 * - conservative: every waiting job (first `depth`) holds the earliest slot where it fits for its
 *   whole estimate given all running jobs and reservations; when a job ended before its estimate,
 *   each reserved job in queue order is taken out and put back; jobs reserved for now start
 * - reservation `pool`: fit = enough cores and GPUs free in total; `nodes`: fit = first-fit finds
 *   room node by node (for conservative, on each node's fewest free over the window); a pooled
 *   reservation due now whose GPUs no node with a free core can drive is dropped and planned
 *   again at the next event
 *
 * Only first-fit placement of packed requests (JobSpec.nodes = 0) is modelled.
 */
import type { JobSpec } from '../../src/hpc/workload/job.js';

export interface RefPolicy {
  queue: 'fcfs' | 'easy' | 'conservative';
  order: 'fcfs' | 'sjf';
  depth: number;
  reservation: 'pool' | 'nodes';
}

interface Item { start: number; end: number; cores: number[]; gpus: number[] }

/** The start time of every job, by job id. */
export function referenceStarts(specs: readonly JobSpec[], nodes: readonly { cores: number; gpus: number }[], policy: RefPolicy): Map<number, number> {
  const jobs = [...specs].sort((a, b) => a.submit - b.submit || a.id - b.id);
  const n = nodes.length;
  const free = nodes.map((x) => x.cores);
  const freeG = nodes.map((x) => x.gpus);
  const starts = new Map<number, number>();
  const running: { j: number; item: Item; realEnd: number; seq: number }[] = [];
  const reserved = new Map<number, Item>();
  let queue: number[] = [];
  let next = 0;
  let seq = 0;
  const wall = (j: number) => {
    const w = (jobs[j] as JobSpec).walltime;
    return w >= 0 ? w : Infinity;
  };
  const priority = (a: number, b: number) => (policy.order === 'sjf' ? wall(a) - wall(b) || a - b : a - b);

  const start = (j: number, t: number, alloc: Item) => {
    const s = jobs[j] as JobSpec;
    for (let k = 0; k < n; k++) {
      free[k] = (free[k] as number) - (alloc.cores[k] as number);
      freeG[k] = (freeG[k] as number) - (alloc.gpus[k] as number);
    }
    running.push({ j, item: { start: t, end: t + wall(j), cores: alloc.cores, gpus: alloc.gpus }, realEnd: t + Math.min(s.runtime, wall(j)), seq: seq++ });
    starts.set(s.id, t);
    queue = queue.filter((q) => q !== j);
    reserved.delete(j);
  };

  while (next < jobs.length || running.length > 0 || reserved.size > 0) {
    let t = Infinity;
    if (next < jobs.length) t = (jobs[next] as JobSpec).submit;
    for (const r of running) t = Math.min(t, r.realEnd);
    for (const it of reserved.values()) t = Math.min(t, it.start);
    if (t === Infinity) break;
    let endedEarly = false;
    for (const r of running.filter((x) => x.realEnd <= t)) {
      for (let k = 0; k < n; k++) {
        free[k] = (free[k] as number) + (r.item.cores[k] as number);
        freeG[k] = (freeG[k] as number) + (r.item.gpus[k] as number);
      }
      if (r.realEnd < r.item.end) endedEarly = true;
    }
    for (let i = running.length - 1; i >= 0; i--) if ((running[i] as { realEnd: number }).realEnd <= t) running.splice(i, 1);
    while (next < jobs.length && (jobs[next] as JobSpec).submit <= t) queue.push(next++);
    queue.sort(priority);
    if (policy.queue === 'conservative') conservativePass(t, endedEarly);
    else easyPass(t);
  }
  return starts;

  function easyPass(t: number): void {
    for (const j of [...queue]) {
      const alloc = firstFit(jobs[j] as JobSpec, free, freeG);
      if (!alloc) break;
      start(j, t, alloc);
    }
    if (policy.queue !== 'easy' || queue.length === 0) return;
    const head = jobs[queue[0] as number] as JobSpec;
    const byEnd = [...running].sort((a, b) => a.item.end - b.item.end || a.seq - b.seq);
    let shadow = Infinity;
    let extraC = [0];
    let extraG = [0];
    for (const r of byEnd) {
      const T = r.item.end;
      const c = [...free];
      const g = [...freeG];
      for (const x of byEnd) {
        if (x.item.end > T) continue;
        for (let k = 0; k < n; k++) {
          c[k] = (c[k] as number) + (x.item.cores[k] as number);
          g[k] = (g[k] as number) + (x.item.gpus[k] as number);
        }
      }
      const a = policy.reservation === 'pool' ? (sum(c) >= head.cores && sum(g) >= head.gpus ? poolTake(head) : undefined) : firstFit(head, c, g);
      if (!a) continue;
      shadow = T;
      extraC = policy.reservation === 'pool' ? [sum(c) - head.cores] : c.map((v, k) => v - (a.cores[k] as number));
      extraG = policy.reservation === 'pool' ? [sum(g) - head.gpus] : g.map((v, k) => v - (a.gpus[k] as number));
      break;
    }
    for (const j of queue.slice(1, 1 + policy.depth)) {
      const s = jobs[j] as JobSpec;
      const now = firstFit(s, free, freeG);
      if (!now) continue;
      if (t + wall(j) <= shadow) {
        start(j, t, now);
        continue;
      }
      if (shadow === Infinity) continue;
      let alloc: Item | undefined;
      if (policy.reservation === 'pool') {
        if (s.cores <= (extraC[0] as number) && s.gpus <= (extraG[0] as number)) alloc = now;
      } else {
        alloc = firstFit(s, free.map((v, k) => Math.min(v, extraC[k] as number)), freeG.map((v, k) => Math.min(v, extraG[k] as number)));
      }
      if (!alloc) continue;
      start(j, t, alloc);
      if (policy.reservation === 'pool') {
        extraC[0] = (extraC[0] as number) - sum(alloc.cores);
        extraG[0] = (extraG[0] as number) - sum(alloc.gpus);
      } else {
        for (let k = 0; k < n; k++) {
          extraC[k] = (extraC[k] as number) - (alloc.cores[k] as number);
          extraG[k] = (extraG[k] as number) - (alloc.gpus[k] as number);
        }
      }
    }
  }

  function conservativePass(t: number, compress: boolean): void {
    for (const j of queue.slice(0, policy.depth)) {
      if (compress && reserved.has(j)) reserved.delete(j);
      if (reserved.has(j)) continue;
      const slot = earliestSlot(t, j);
      if (slot) reserved.set(j, slot);
    }
    for (const j of [...queue]) {
      const it = reserved.get(j);
      if (!it || it.start > t) continue;
      const alloc = policy.reservation === 'pool' ? firstFit(jobs[j] as JobSpec, free, freeG) : it;
      // Pooled GPUs may sit on nodes without a free core to drive them: planned again next event.
      if (alloc) start(j, t, alloc);
      else reserved.delete(j);
    }
  }

  function earliestSlot(t: number, j: number): Item | undefined {
    const plan = [...running.map((r) => r.item), ...reserved.values()];
    const candidates = [t, ...plan.map((x) => x.end).filter((e) => e > t)].sort((a, b) => a - b);
    const s = jobs[j] as JobSpec;
    for (const c of candidates) {
      const end = c + wall(j);
      const points = [c, ...plan.map((x) => x.start).filter((u) => u > c && u < end)];
      if (policy.reservation === 'pool') {
        let poolC = Infinity;
        let poolG = Infinity;
        for (const u of points) {
          const active = plan.filter((x) => x.start <= u && u < x.end);
          poolC = Math.min(poolC, sum(nodes.map((x) => x.cores)) - sum(active.map((x) => sum(x.cores))));
          poolG = Math.min(poolG, sum(nodes.map((x) => x.gpus)) - sum(active.map((x) => sum(x.gpus))));
        }
        if (s.cores <= poolC && s.gpus <= poolG) return { ...poolTake(s), start: c, end };
        continue;
      }
      const minC = nodes.map((x) => x.cores);
      const minG = nodes.map((x) => x.gpus);
      for (const u of points) {
        const usedC = new Array<number>(n).fill(0);
        const usedG = new Array<number>(n).fill(0);
        for (const x of plan) {
          if (!(x.start <= u && u < x.end)) continue;
          for (let k = 0; k < n; k++) {
            usedC[k] = (usedC[k] as number) + (x.cores[k] as number);
            usedG[k] = (usedG[k] as number) + (x.gpus[k] as number);
          }
        }
        for (let k = 0; k < n; k++) {
          minC[k] = Math.min(minC[k] as number, (nodes[k] as { cores: number }).cores - (usedC[k] as number));
          minG[k] = Math.min(minG[k] as number, (nodes[k] as { gpus: number }).gpus - (usedG[k] as number));
        }
      }
      const a = firstFit(s, minC, minG);
      if (a) return { ...a, start: c, end };
    }
    return undefined;
  }

  /** A pool reservation holds its totals; they are booked on node 0 of the plan's arrays. */
  function poolTake(s: JobSpec): Item {
    const cores = new Array<number>(n).fill(0);
    const gpus = new Array<number>(n).fill(0);
    cores[0] = s.cores;
    gpus[0] = s.gpus;
    return { start: 0, end: 0, cores, gpus };
  }
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** First-fit of a packed request: GPUs first (each GPU node also gives cores), then cores in node order. */
function firstFit(s: JobSpec, free: readonly number[], freeG: readonly number[]): Item | undefined {
  const n = free.length;
  const cores = new Array<number>(n).fill(0);
  const gpus = new Array<number>(n).fill(0);
  let remC = s.cores;
  let remG = s.gpus;
  if (remC > sum(free.map((v) => Math.max(0, v))) || remG > sum(freeG.map((v) => Math.max(0, v)))) return undefined;
  for (let k = 0; k < n && remG > 0; k++) {
    const g = Math.min(freeG[k] as number, remG);
    const c = Math.min(free[k] as number, Math.max(1, remC));
    if (g <= 0 || c <= 0) continue;
    gpus[k] = g;
    cores[k] = c;
    remG -= g;
    remC = Math.max(0, remC - c);
  }
  for (let k = 0; k < n && remC > 0; k++) {
    if (gpus[k] !== 0) continue;
    const c = Math.min(free[k] as number, remC);
    if (c <= 0) continue;
    cores[k] = c;
    remC -= c;
  }
  return remC > 0 || remG > 0 ? undefined : { start: 0, end: 0, cores, gpus };
}
