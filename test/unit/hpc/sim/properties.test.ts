/**
 * Properties every schedule must have, whatever the policy: no node ever gives more cores or GPUs
 * than it has, no job starts before it is submitted; under conservative backfilling no job starts
 * later than the first reservation it was given, and under EASY (arrival order) the queue head
 * never starts later than its reservation (in the pool model: jobs without GPUs).
 */
import { describe, expect, it } from 'vitest';
import type { Allocation } from '../../../../src/hpc/sim/placement.js';
import { simulate, type SimPolicy } from '../../../../src/hpc/sim/simulate.js';
import type { JobSpec } from '../../../../src/hpc/workload/job.js';
import { confWorkload, type Workload } from './schedule-cases.js';
import { benchmarkWorkload } from './schedule-cases.js';

function run(w: Workload, policy: SimPolicy) {
  const allocs = new Map<number, Allocation>();
  const firstReservation = new Map<number, number>();
  const r = simulate(w.jobs, w.nodes, policy, {
    onStart: (job, alloc) => allocs.set(job.id, alloc),
    onReserve: (job, start) => {
      if (!firstReservation.has(job.id)) firstReservation.set(job.id, start);
    },
  });
  return { r, allocs, firstReservation };
}

/** The most cores and GPUs in use on any node at any time, over its capacity (≤ 1 when respected). */
function peakLoad(w: Workload, records: { id: number; start: number; end: number }[], allocs: Map<number, Allocation>): number {
  const events: [number, number, Allocation][] = [];
  for (const rec of records) {
    const a = allocs.get(rec.id) as Allocation;
    events.push([rec.start, 1, a], [rec.end, -1, a]);
  }
  // Ends before starts at the same time: a node freed at t may be given again at t.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const cores = w.nodes.map(() => 0);
  const gpus = w.nodes.map(() => 0);
  let peak = 0;
  for (const [, sign, a] of events) {
    for (let k = 0; k < a.nodes.length; k++) {
      const n = a.nodes[k] as number;
      cores[n] = (cores[n] as number) + sign * (a.cores[k] as number);
      gpus[n] = (gpus[n] as number) + sign * (a.gpus[k] as number);
      const cap = w.nodes[n] as { cores: number; gpus: number };
      peak = Math.max(peak, (cores[n] as number) / cap.cores, cap.gpus > 0 ? (gpus[n] as number) / cap.gpus : gpus[n] as number);
    }
  }
  return peak;
}

const bench = benchmarkWorkload();
const workloads: Workload[] = [
  { name: 'lublin-x5[:3000]', jobs: bench.jobs.slice(0, 3000), nodes: bench.nodes },
  confWorkload('mixed', 'small'),
  confWorkload('gpu_intensive', 'medium'),
  confWorkload('trace_hpc2n', 'medium'),
];
const policies: SimPolicy[] = [];
for (const queue of ['fcfs', 'easy', 'conservative'] as const) {
  for (const reservation of ['pool', 'nodes'] as const) policies.push({ queue, reservation, priority: { order: 'fcfs' }, placement: 'best-fit', backfillDepth: 500 });
}

describe('schedule properties', () => {
  for (const w of workloads) {
    it.each(policies.map((p) => [`${p.queue}/${p.reservation}`, p] as const))(`${w.name} %s`, (_n, policy) => {
      const { r, allocs, firstReservation } = run(w, policy);
      expect(r.jobs.length).toBe(w.jobs.length);
      expect(peakLoad(w, r.jobs.toArray(), allocs)).toBeLessThanOrEqual(1);
      expect(r.jobs.toArray().filter((j) => j.start < j.submit)).toEqual([]);
      // Pooled GPUs can sit on nodes with no free core to drive them; such a job loses its slot
      // and is planned again (conservative.ts), so in the pool model the promise holds for CPU jobs.
      const promised = (j: { gpus: number }) => policy.reservation === 'nodes' || j.gpus === 0;
      const late = r.jobs.toArray().filter((j) => promised(j) && firstReservation.has(j.id) && j.start > (firstReservation.get(j.id) as number));
      if (policy.queue !== 'fcfs') expect(late.map((j) => `job ${j.id} starts ${j.start}, reserved ${firstReservation.get(j.id)}`)).toEqual([]);
      if (policy.queue === 'conservative') {
        // Every job that waited was reserved before it started.
        const unreserved = r.jobs.toArray().filter((j) => j.start > j.submit && !firstReservation.has(j.id));
        expect(unreserved.map((j) => j.id)).toEqual([]);
      }
    });
  }

  it('the peak-load check sees an over-committed node', () => {
    const w: Workload = { name: 'two', jobs: [] as JobSpec[], nodes: [{ cores: 2, gpus: 0 }] };
    const a: Allocation = { nodes: [0], cores: [2], gpus: [0] };
    const allocs = new Map([[1, a], [2, a]]);
    expect(peakLoad(w, [{ id: 1, start: 0, end: 10 }, { id: 2, start: 5, end: 15 }], allocs)).toBe(2);
  });
});
