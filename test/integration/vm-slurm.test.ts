/**
 * Real SLURM inside real VMs: a 1 head + 1 compute cluster booted from the built image (cached
 * under cache/images), munged, slurmctld and slurmd configured over SSH by the same code as on
 * the netns provider, a 10-job `sleep` workload replayed in about a minute of real time, every
 * job record checked, the run's metrics computed, then teardown with nothing left behind. Runs
 * under TCG where KVM does not work. Needs root (bridge and taps), qemu, mmdebstrap and mkfs.ext4.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupLeftovers, findLeftovers, libvirtProvider } from '../../src/hpc/backends/libvirt/libvirt-provider.js';
import { schedulerFor } from '../../src/hpc/backends/registry.js';
import type { Cluster, Scheduler, SchedulerHandle, Topology } from '../../src/hpc/backends/types.js';
import { buildImage, type BuiltImage } from '../../src/hpc/image/build-image.js';
import type { ImageConfig } from '../../src/hpc/image/image-fingerprint.js';
import { computeRunMetrics, METRIC_NAMES } from '../../src/hpc/metrics/index.js';
import { loadWorkload, type WorkloadConfig } from '../../src/hpc/workload/index.js';
import { links, qemuPids } from '../support/procs.js';
import { VM, gate } from '../support/requirements.js';

const root = resolve(import.meta.dirname, '../..');
const { describe } = gate('VM SLURM integration test', VM);

const yamlFile = <T>(path: string): T => parse(readFileSync(join(root, path), 'utf8')) as T;
const topology = yamlFile<Topology>('conf/topology/tiny.yaml');
/** Real seconds per workload second: the 10 jobs of the short workload then take about a minute. */
const TIME_SCALE = 0.006;
const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const seconds = (since: number): number => (Date.now() - since) / 1000;

let image: BuiltImage;
let stateDir: string;
let slurm: Scheduler;

describe('SLURM in VMs', () => {
  beforeAll(async () => {
    const s = await schedulerFor('libvirt', 'slurm');
    if (typeof s === 'string') throw new Error(s);
    slurm = s;
    // The project's own image config, so the cached image is the one runs use.
    const r = await buildImage(yamlFile<ImageConfig>('conf/image/debian.yaml'), { cacheDir: join(root, 'cache/images'), log });
    if (r.kind !== 'built') throw new Error(r.message);
    image = r.image;
    stateDir = mkdtempSync(join(tmpdir(), 'bench-vm-slurm-'));
  }, 900_000);
  afterAll(async () => {
    if (!stateDir) return;
    await cleanupLeftovers({ state_dir: stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('configures SLURM in a 1 head + 1 compute VM cluster, runs 10 jobs end to end and tears everything down', async () => {
    const ctx = { signal: new AbortController().signal, log, workDir: stateDir };
    const providerConfig = yamlFile<Record<string, unknown>>('conf/provider/libvirt.yaml');
    // QEMU directly, so both runtimes are covered: vm-cluster.test.ts boots through libvirt.
    const started = Date.now();
    const cluster: Cluster = await libvirtProvider.up(topology, {
      ...providerConfig, runtime: 'qemu', subnet: '10.91.0.0/24', state_dir: stateDir, image, ready_timeout_s: 300,
    }, ctx);
    const id = String(cluster.data['id']);
    const upS = seconds(started);
    let handle: SchedulerHandle | undefined;
    try {
      const configuring = Date.now();
      handle = await slurm.configure(cluster, { ...yamlFile<Record<string, unknown>>('conf/scheduler/slurm.yaml'), ready_timeout_s: 180 }, ctx);
      const configureS = seconds(configuring);

      const workload = { ...yamlFile<WorkloadConfig & Record<string, unknown>>('conf/workload/short.yaml'), jobs: 10 } as WorkloadConfig;
      const loaded = loadWorkload(workload, { root, seed: 42, topology });
      expect(loaded.jobs).toHaveLength(10);
      const running = Date.now();
      const result = await slurm.run(handle, loaded.jobs, { timeScale: TIME_SCALE, seed: 42, ctx });
      const runS = seconds(running);

      expect(result.jobs.map((j) => j.id).sort((a, b) => a - b)).toEqual(loaded.jobs.map((j) => j.id).sort((a, b) => a - b));
      for (const job of result.jobs) {
        const spec = loaded.jobs.find((s) => s.id === job.id);
        expect(job.state, `job ${job.id}`).toBe('completed');
        expect(job.start, `job ${job.id} start`).toBeGreaterThanOrEqual(job.submit);
        expect(job.end, `job ${job.id} end`).toBeGreaterThan(job.start);
        expect(job.cores, `job ${job.id} cores`).toBe(spec?.cores);
        // The recorded run time holds the whole sleep (SLURM records whole seconds) plus the launch
        // and completion of the job step, which take seconds under TCG on a loaded host.
        const ranReal = (job.end - job.start) * TIME_SCALE;
        const sleptReal = (spec?.runtime ?? 0) * TIME_SCALE;
        expect(ranReal, `job ${job.id} run time (real s)`).toBeGreaterThanOrEqual(sleptReal - 1);
        expect(ranReal, `job ${job.id} run time (real s)`).toBeLessThanOrEqual(sleptReal + 20);
      }
      const metrics = computeRunMetrics(result.jobs, topology.compute_nodes.count * topology.compute_nodes.vcpus);
      for (const m of METRIC_NAMES) expect(Number.isFinite(metrics[m]), m).toBe(true);
      const lastEnd = Math.max(...result.jobs.map((j) => j.end));
      expect(metrics.makespan).toBeCloseTo(lastEnd - Math.min(...result.jobs.map((j) => j.submit)), 6);
      expect(metrics.utilization).toBeGreaterThan(0);
      expect(metrics.utilization).toBeLessThanOrEqual(1);
      console.log(`VM SLURM: cluster up ${upS.toFixed(1)} s, SLURM bring-up ${configureS.toFixed(1)} s, 10 jobs ${runS.toFixed(1)} s (makespan ${(metrics.makespan * TIME_SCALE).toFixed(1)} s real)`);
    } finally {
      if (handle) await slurm.stop(handle, ctx);
      await libvirtProvider.down(JSON.parse(JSON.stringify(cluster)) as Cluster, ctx);
    }
    expect(qemuPids(id)).toEqual([]);
    expect(links(id)).toEqual([]);
    expect(findLeftovers({ state_dir: stateDir })).toEqual([]);
  }, 900_000);
});
