/**
 * The workloads and policies whose schedules `schedule-digest.test.ts` pins, and the digest
 * itself. Kept apart from the test so that a script can compute the same digests with another
 * build of the simulator (the reference one, when a digest is renewed on purpose).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Topology } from '../../../../src/hpc/backends/types.js';
import type { Allocation, PlacementRule } from '../../../../src/hpc/sim/placement.js';
import { simulate, type SimNodeSpec, type SimPolicy } from '../../../../src/hpc/sim/simulate.js';
import type { PriorityConfig } from '../../../../src/hpc/sim/priority.js';
import { loadWorkload, type WorkloadConfig } from '../../../../src/hpc/workload/index.js';
import type { JobSpec } from '../../../../src/hpc/workload/job.js';
import { repeatTraces } from '../../../../src/hpc/workload/repeat-traces.js';
import { parseSwf } from '../../../../src/hpc/workload/swf.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Workload {
  name: string;
  jobs: JobSpec[];
  nodes: SimNodeSpec[];
}

/** The bench:sim trace: both Lublin-256 traces, five times over, each copy after the last. */
export function benchmarkWorkload(): Workload {
  const dir = `${root}data/traces/rlscheduler-lublin256/`;
  const traces = ['lublin_256.swf', 'lublin_256_new2.swf'].map((f) => parseSwf(readFileSync(dir + f, 'utf8'), { file: f }).jobs);
  const jobs = repeatTraces(traces, 5);
  return { name: 'lublin-x5', jobs, nodes: Array.from({ length: 256 }, () => ({ cores: 1, gpus: 0 })) };
}

/** A generated workload of conf/ on a topology of conf/, seed 42 as in conf/config.yaml. */
export function confWorkload(workload: string, topology: string): Workload {
  const w = parse(readFileSync(`${root}conf/workload/${workload}.yaml`, 'utf8')) as WorkloadConfig;
  const t = parse(readFileSync(`${root}conf/topology/${topology}.yaml`, 'utf8')) as Topology;
  const { jobs } = loadWorkload(w, { root, seed: 42, topology: t });
  const c = t.compute_nodes;
  return { name: `${workload}@${topology}`, jobs, nodes: Array.from({ length: c.count }, () => ({ cores: c.vcpus, gpus: c.gpus })) };
}

export const PLACEMENTS: PlacementRule[] = ['first-fit', 'best-fit', 'spread'];
export const PRIORITIES: Record<PriorityConfig['order'], PriorityConfig> = {
  fcfs: { order: 'fcfs' },
  sjf: { order: 'sjf' },
  // conf/scheduler/slurm.yaml's weights.
  multifactor: { order: 'multifactor', weightAge: 1000, weightFairshare: 10000, weightSize: 1000, maxAge: 7 * 86400 },
};

export interface DigestCase {
  name: string;
  workload: Workload;
  policy: SimPolicy;
}

/**
 * Every queue policy × placement × priority order, with SLURM's default backfill depth (500) and,
 * for EASY, a depth of 8 that cuts the backfill pass short. Workloads: each generated workload of
 * conf/ and both trace windows of conf/ on multi-core nodes (where placement matters), and the
 * bench:sim trace on one-core nodes — all 100,000 jobs for the arrival order under fcfs and easy,
 * which is what the benchmark runs (conservative too, with pooled reservations). Other orders
 * re-sort the queue at every event and node reservations re-plan node by node, so there the
 * trace is cut to a prefix that still builds a queue.
 */
export function digestCases(): DigestCase[] {
  const bench = benchmarkWorkload();
  const prefix = (n: number): Workload => ({ name: `${bench.name}[:${n}]`, jobs: bench.jobs.slice(0, n), nodes: bench.nodes });
  const others = [
    confWorkload('mixed', 'small'), confWorkload('cpu_intensive', 'large'), confWorkload('gpu_intensive', 'medium'),
    confWorkload('trace_lublin', 'large'), confWorkload('trace_hpc2n', 'medium'),
  ];
  // Node reservations (the presets' model) keep their historical case names; pooled ones say `pool`.
  const variants: [SimPolicy['queue'], number, 'nodes' | 'pool'][] = [
    ['fcfs', 500, 'nodes'], ['easy', 500, 'nodes'], ['easy', 8, 'nodes'], ['conservative', 500, 'nodes'], ['easy', 500, 'pool'], ['conservative', 500, 'pool'],
  ];
  const cases: DigestCase[] = [];
  for (const [queue, backfillDepth, reservation] of variants) {
    for (const placement of PLACEMENTS) {
      for (const order of Object.keys(PRIORITIES) as PriorityConfig['order'][]) {
        const policy: SimPolicy = { queue, placement, priority: PRIORITIES[order], backfillDepth, reservation };
        if (queue === 'conservative') policy.backfillWindow = 86400;
        const trace = queue === 'conservative' && reservation === 'nodes' ? prefix(300) : order === 'fcfs' ? bench : prefix(2000);
        const suffix = reservation === 'pool' ? ' pool' : '';
        for (const workload of [trace, ...others]) cases.push({ name: `${workload.name} ${queue}/${backfillDepth} ${placement} ${order}${suffix}`, workload, policy });
      }
    }
  }
  return cases;
}

/** Feeds numbers to SHA-256 as float64s, a chunk at a time: fast enough for 100,000-job schedules. */
class NumberHash {
  private readonly hash = createHash('sha256');
  private readonly buf = new Float64Array(1 << 14);
  private n = 0;

  add(x: number): void {
    if (this.n === this.buf.length) this.flush();
    this.buf[this.n++] = x;
  }

  addAll(xs: ArrayLike<number> & Iterable<number>): void {
    this.add(xs.length);
    for (const x of xs) this.add(x);
  }

  /** The first 16 hex digits. */
  digest(): string {
    this.flush();
    return this.hash.digest('hex').slice(0, 16);
  }

  private flush(): void {
    this.hash.update(new Uint8Array(this.buf.buffer, 0, this.n * 8));
    this.n = 0;
  }
}

const STATES = ['completed', 'timeout', 'failed', 'cancelled'];

/**
 * A digest of the whole schedule: every start as it happens (job, time, and each node it runs on
 * with the cores and GPUs it takes there); every job's record (start, end, cores, nodes, GPUs,
 * state, backfilled flag); the queue and busy series, fragmentation and the backfill count.
 */
export function scheduleDigest(c: DigestCase): string {
  const h = new NumberHash();
  const onStart = (job: JobSpec, a: Allocation, t: number) => {
    h.add(job.id);
    h.add(t);
    h.add(a.nodes.length);
    for (let k = 0; k < a.nodes.length; k++) {
      h.add(a.nodes[k] as number);
      h.add(a.cores[k] as number);
      h.add(a.gpus[k] as number);
    }
  };
  const r = simulate(c.workload.jobs, c.workload.nodes, c.policy, { onStart });
  h.add(r.jobs.length);
  for (const j of r.jobs) {
    for (const x of [j.id, j.start, j.end, j.cores, j.nodes, j.gpus, STATES.indexOf(j.state), j.backfilled ? 1 : 0]) h.add(x);
  }
  for (const xs of [r.series.t, r.series.queued, r.series.busyCores, r.series.busyGpus]) h.addAll(xs);
  h.add(r.fragmentation);
  h.add(r.backfilled);
  return h.digest();
}
