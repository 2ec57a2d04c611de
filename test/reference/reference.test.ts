/**
 * The fast simulator against the naive one (reference-sim.ts), job for job: on windows of the
 * shipped traces and on generated workloads with GPUs and overestimated walltimes, every start
 * time must be equal, for all three policies and both reservation models.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src/hpc/backends/types.js';
import { simulate, type SimNodeSpec } from '../../src/hpc/sim/simulate.js';
import { loadWorkload, type WorkloadConfig } from '../../src/hpc/workload/index.js';
import type { JobSpec } from '../../src/hpc/workload/job.js';
import { parseSwf } from '../../src/hpc/workload/swf.js';
import { referenceStarts, type RefPolicy } from './reference-sim.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Case {
  name: string;
  jobs: JobSpec[];
  nodes: SimNodeSpec[];
}

/** `length` usable jobs of a trace from index `start` (after dropping runtime ≤ 0), submit times from 0. */
function traceWindow(file: string, start: number, length: number): JobSpec[] {
  const all = parseSwf(readFileSync(`${root}data/traces/${file}`, 'utf8'), { file }).jobs;
  const w = all.slice(start, start + length);
  const t0 = (w[0] as JobSpec).submit;
  return w.map((j) => ({ ...j, submit: j.submit - t0 }));
}

const shape = (count: number, cores: number, gpus = 0): SimNodeSpec[] => Array.from({ length: count }, () => ({ cores, gpus }));

function generated(workload: string, topology: string): Case {
  const w = parse(readFileSync(`${root}conf/workload/${workload}.yaml`, 'utf8')) as WorkloadConfig;
  const t = parse(readFileSync(`${root}conf/topology/${topology}.yaml`, 'utf8')) as Topology;
  const c = t.compute_nodes;
  return { name: `${workload}@${topology}`, jobs: loadWorkload(w, { root, seed: 42, topology: t }).jobs, nodes: shape(c.count, c.vcpus, c.gpus) };
}

const cases: Case[] = [
  // RLScheduler's first test windows of Lublin-1 and Lublin-2, on the one 256-core machine of the literature.
  { name: 'Lublin-1[1981:+1024] on 1x256', jobs: traceWindow('rlscheduler-lublin256/lublin_256.swf', 1981, 1024), nodes: shape(1, 256) },
  { name: 'Lublin-2[4299:+1024] on 1x256', jobs: traceWindow('rlscheduler-lublin256/lublin_256_new2.swf', 4299, 1024), nodes: shape(1, 256) },
  // The same processors as one-core nodes, where node reservations differ from the pool.
  { name: 'Lublin-1[1981:+400] on 256x1', jobs: traceWindow('rlscheduler-lublin256/lublin_256.swf', 1981, 400), nodes: shape(256, 1) },
  // Real estimates: jobs end early, so conservative compresses its schedule.
  { name: 'HPC2N[0:+1000] on 120x2', jobs: traceWindow('alea-hpc2n-prefix/hpc2n.swf', 0, 1000), nodes: shape(120, 2) },
  generated('mixed', 'small'),
  generated('gpu_intensive', 'medium'),
];

const policies: RefPolicy[] = [];
for (const queue of ['fcfs', 'easy', 'conservative'] as const) for (const reservation of ['pool', 'nodes'] as const) policies.push({ queue, reservation, order: 'fcfs', depth: 1e9 });
policies.push({ queue: 'easy', reservation: 'nodes', order: 'sjf', depth: 8 }, { queue: 'conservative', reservation: 'pool', order: 'sjf', depth: 50 });

describe('fast simulator = naive reference, job for job', () => {
  for (const c of cases) {
    it.each(policies.map((p) => [`${p.queue}/${p.reservation} ${p.order} depth ${p.depth}`, p] as const))(`${c.name}: %s`, (_name, p) => {
      const fast = simulate(c.jobs, c.nodes, { queue: p.queue, reservation: p.reservation, priority: { order: p.order }, placement: 'first-fit', backfillDepth: p.depth });
      const ref = referenceStarts(c.jobs, c.nodes, p);
      expect(fast.jobs.length).toBe(c.jobs.length);
      expect(ref.size).toBe(c.jobs.length);
      const differing = fast.jobs.toArray().filter((r) => ref.get(r.id) !== r.start).map((r) => `job ${r.id}: fast ${r.start}, reference ${ref.get(r.id)}`);
      expect(differing).toEqual([]);
    });
  }
});
