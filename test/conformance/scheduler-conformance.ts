/**
 * The conformance suite every scheduler backend runs: bring a cluster up, configure the
 * scheduler, run a small workload (short jobs, one spanning two nodes, one that outlives its time
 * limit), check the records a user would read (every job there, times in order, the cores and
 * nodes asked for, the over-limit job killed at its limit, capacity never exceeded), then tear
 * down and check nothing is left. One entry per backend and environment, in a small file each:
 * adding a scheduler backend is its descriptor folder plus an entry here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BackendContext, Scheduler, SchedulerHandle } from '../../src/hpc/backends/types.js';
import type { JobRecord, JobSpec } from '../../src/hpc/workload/job.js';
import { gate, type Requirement } from '../support/requirements.js';

/** A configured scheduler on a live cluster, as an entry brings it up. */
export interface ConformanceCluster {
  scheduler: Scheduler;
  handle: SchedulerHandle;
  /** The nodes jobs run on, where they are not the handle's compute hosts (a login host's partition). */
  compute?: { nodes: number; coresPerNode: number };
  /** Stops the scheduler and tears the cluster down. */
  tearDown(): Promise<void>;
  /** What of the cluster is still on the machine after `tearDown` (empty: nothing). */
  leftovers(): Promise<string[]>;
}

/** One backend in one environment. */
export interface ConformanceEntry {
  /** `SLURM on netns`, `simulated flux`... */
  name: string;
  requires: readonly Requirement[];
  /** Real seconds per workload second. */
  timeScale: number;
  /** Real seconds the recorded times may be off by (SLURM: whole seconds plus job start-up). */
  slackS: number;
  /** Shortest time limit the backend enforces, real seconds (SLURM: a minute); undefined: any. */
  timeLimitFloorS?: number;
  /** Whether the backend kills a job at its time limit; false skips the over-limit job. */
  enforcesTimeLimit: boolean;
  setUp(ctx: BackendContext): Promise<ConformanceCluster>;
  /** Limit for the whole run, ms (bring-up, workload, teardown). */
  timeoutMs: number;
}

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** Jobs sized to the cluster: six short ones, one on two nodes, one whole node, one over its limit. */
export function conformanceWorkload(e: Pick<ConformanceEntry, 'timeScale' | 'timeLimitFloorS' | 'enforcesTimeLimit'>, nodes: number, coresPerNode: number): JobSpec[] {
  const w = (realS: number) => realS / e.timeScale;
  const generous = w(Math.max(600, e.timeLimitFloorS ?? 0));
  const job = (id: number, over: Partial<JobSpec>): JobSpec => ({
    id, user: `u${id % 2}`, submit: w((id - 1) * 0.5), cores: 1, nodes: 0, gpus: 0, memoryMiB: 64, runtime: w(2 + (id % 3)), walltime: generous, ...over,
  });
  const jobs = Array.from({ length: 6 }, (_, i) => job(i + 1, { cores: 1 + (i % Math.max(1, coresPerNode)), nodes: 1 }));
  if (nodes >= 2) jobs.push(job(7, { cores: 2, nodes: 2 }));
  jobs.push(job(8, { cores: coresPerNode, nodes: 1 }));
  if (e.enforcesTimeLimit) {
    const limit = e.timeLimitFloorS ?? 2;
    jobs.push(job(9, { runtime: w(limit * 2.5), walltime: w(limit) }));
  }
  return jobs;
}

/** The most cores in use at once, from the records (ends before starts at equal times). */
export function peakCores(jobs: readonly JobRecord[], slack: number): number {
  const events = jobs.flatMap((j) => (j.end - j.start > 2 * slack ? [{ t: j.start + slack, d: j.cores }, { t: j.end - slack, d: -j.cores }] : []));
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const ev of events) peak = Math.max(peak, (now += ev.d));
  return peak;
}

/** Checks the records against the specs, as a user reading jobs.arrow would. */
export function expectConformingRecords(jobs: readonly JobRecord[], specs: readonly JobSpec[], o: { slack: number; totalCores: number; overLimitId?: number }): void {
  expect([...jobs.map((j) => j.id)].sort((a, b) => a - b)).toEqual(specs.map((s) => s.id));
  for (const j of jobs) {
    const s = specs.find((x) => x.id === j.id) as JobSpec;
    const label = `job ${j.id}: ${JSON.stringify(j)}`;
    expect(j.start, label).toBeGreaterThanOrEqual(j.submit - o.slack);
    expect(j.end, label).toBeGreaterThanOrEqual(j.start);
    expect(j.cores, label).toBe(s.cores);
    if (s.nodes > 0) expect(j.nodes, label).toBe(s.nodes);
    if (j.id === o.overLimitId) {
      expect(j.state, label).toBe('timeout');
      expect(j.end - j.start, label).toBeGreaterThanOrEqual(s.walltime - o.slack);
      expect(j.end - j.start, label).toBeLessThan(s.runtime);
    } else {
      expect(j.state, label).toBe('completed');
      expect(Math.abs(j.end - j.start - s.runtime), label).toBeLessThanOrEqual(o.slack);
    }
  }
  expect(peakCores(jobs, o.slack)).toBeLessThanOrEqual(o.totalCores);
}

/** Declares the suite for one entry; skipped with its reason where the machine lacks what it needs (an error under CI=true). */
export function describeSchedulerConformance(entry: ConformanceEntry): void {
  gate(`scheduler conformance: ${entry.name}`, entry.requires).describe(`scheduler conformance: ${entry.name}`, () => {
    const ctx: BackendContext = { signal: new AbortController().signal, log: quiet, workDir: '' };
    let up: ConformanceCluster | undefined;
    beforeAll(async () => { up = await entry.setUp(ctx); }, entry.timeoutMs);
    afterAll(async () => { await up?.tearDown().catch(() => undefined); }, entry.timeoutMs);

    it('runs the workload and records every job as submitted, within capacity', async () => {
      const { scheduler, handle, compute } = up as ConformanceCluster;
      const hosts = handle.cluster.hosts.filter((h) => h.role === 'compute');
      const { nodes, coresPerNode } = compute ?? { nodes: hosts.length, coresPerNode: Math.min(...hosts.map((h) => h.cpus)) };
      const specs = conformanceWorkload(entry, nodes, coresPerNode);
      const r = await scheduler.run(handle, specs, { timeScale: entry.timeScale, seed: 1, ctx });
      const slack = entry.slackS / entry.timeScale;
      expectConformingRecords(r.jobs, specs, { slack, totalCores: nodes * coresPerNode, ...(entry.enforcesTimeLimit ? { overLimitId: 9 } : {}) });
    }, entry.timeoutMs);

    it('tears down leaving nothing behind', async () => {
      const cluster = up as ConformanceCluster;
      up = undefined;
      await cluster.tearDown();
      expect(await cluster.leftovers()).toEqual([]);
    }, entry.timeoutMs);
  });
}
