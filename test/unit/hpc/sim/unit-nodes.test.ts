/**
 * On one-core nodes without GPUs the simulator holds packed requests as bit masks (unit-nodes.ts)
 * and leaves per-node free cores to be brought up to date only when a general path reads them.
 * The same cluster with one GPU per node takes the per-node path throughout, and for CPU-only
 * jobs must give the same schedule: here with packed requests mixed with fixed-node ones (which
 * go the per-node way on either cluster) and empty ones, under every policy and reservation model,
 * with best-fit and spread as well as first-fit.
 */
import { describe, expect, it } from 'vitest';
import type { Allocation, PlacementRule } from '../../../../src/hpc/sim/placement.js';
import { simulate, type SimPolicy } from '../../../../src/hpc/sim/simulate.js';
import { pickUnits } from '../../../../src/hpc/sim/unit-nodes.js';
import type { JobSpec } from '../../../../src/hpc/workload/job.js';

/** A small deterministic generator (mulberry32), so the workload is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 600 jobs for 70 one-core nodes: mostly packed, a fifth on a fixed node count, a few asking for no cores. */
function workload(): JobSpec[] {
  const rnd = random(7);
  const jobs: JobSpec[] = [];
  let t = 0;
  for (let id = 1; id <= 600; id++) {
    t += Math.floor(rnd() * 40);
    const cores = rnd() < 0.03 ? 0 : 1 + Math.floor(rnd() ** 2 * 69);
    // A fixed-node request fits one-core nodes only with at most one core per node.
    const nodes = rnd() < 0.2 ? Math.min(70, cores + Math.floor(rnd() * 3)) : 0;
    const walltime = 10 + Math.floor(rnd() * 400);
    const runtime = Math.max(1, Math.floor(walltime * (0.2 + rnd())));
    jobs.push({ id, user: `u${id % 7}`, submit: t, cores, nodes, gpus: 0, memoryMiB: 0, runtime, walltime });
  }
  return jobs;
}

function schedule(nodes: { cores: number; gpus: number }[], policy: SimPolicy) {
  const starts: string[] = [];
  const onStart = (job: JobSpec, a: Allocation, t: number) => {
    starts.push(`${job.id}@${t}: ${a.nodes.join(',')} / ${a.cores.join(',')} / ${a.gpus.join(',')}`);
  };
  const r = simulate(workload(), nodes, policy, { onStart });
  return { starts, records: r.jobs.toArray(), queued: r.series.queued, busy: r.series.busyCores, backfilled: r.backfilled };
}

const unit = Array.from({ length: 70 }, () => ({ cores: 1, gpus: 0 }));
const withGpu = Array.from({ length: 70 }, () => ({ cores: 1, gpus: 1 }));

describe('one-core nodes: the bit-mask path places as the per-node path does', () => {
  const cases: [SimPolicy['queue'], 'pool' | 'nodes', PlacementRule][] = [];
  for (const queue of ['fcfs', 'easy', 'conservative'] as const) {
    for (const reservation of ['pool', 'nodes'] as const) for (const rule of ['first-fit', 'best-fit', 'spread'] as const) cases.push([queue, reservation, rule]);
  }
  it.each(cases)('%s/%s %s', (queue, reservation, placement) => {
    const policy: SimPolicy = { queue, reservation, priority: { order: 'fcfs' }, placement, backfillDepth: 50 };
    const got = schedule(unit, policy);
    const want = schedule(withGpu, policy);
    expect(got.starts.length).toBeGreaterThan(500);
    // Busy series differ only through GPUs, of which no job asks: cores, queue and starts must agree.
    expect(got).toEqual(want);
  });

  it('picks the lowest free nodes, across words, within the cap', () => {
    const free = Int32Array.of(0b1010, -1, 0);
    expect(pickUnits(free, undefined, 3)?.nodes).toEqual([1, 3, 32]);
    expect(pickUnits(free, Int32Array.of(0b1000, 0b110, 0), 3)?.nodes).toEqual([3, 33, 34]);
    expect(pickUnits(free, undefined, 35)).toBeUndefined();
    expect(pickUnits(free, undefined, 34)?.nodes).toHaveLength(34);
  });
});
