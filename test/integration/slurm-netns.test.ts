/**
 * Real SLURM 22.05 (slurmctld, slurmd, munged) on a 1 head + 2 compute netns cluster: a value
 * SLURM rejects is reported by key; a 20-job workload with multi-node and GPU jobs runs to
 * completion with a record per job and a host series; stop and down leave no namespace and no
 * slurm, munge or sshd process behind. Needs root, iproute2, util-linux, openssh-server, munge
 * and slurm-wlm; under CI=true it runs or fails, never skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupNetnsLeftovers, netnsProvider } from '../../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor } from '../../src/hpc/backends/registry.js';
import { slurmScheduler, type SlurmRunResult } from '../../src/hpc/backends/slurm/index.js';
import { SlurmSchedulerSchema } from '../../src/hpc/backends/slurm/config-schema.js';
import type { BackendContext, Cluster, SchedulerHandle, Topology } from '../../src/hpc/backends/types.js';
import { computeRunMetrics } from '../../src/hpc/metrics/index.js';
import type { JobSpec } from '../../src/hpc/workload/job.js';
import { expectCompletedAsSubmitted } from '../support/slurm-records.js';
import { namespaceInodes, processesIn, type Proc } from '../support/procs.js';
import { NETNS, SLURM, gate } from '../support/requirements.js';
import { eventually } from '../support/wait.js';

const root = resolve(import.meta.dirname, '../..');
const { describe } = gate('SLURM netns test', [...NETNS, ...SLURM]);

const topology: Topology = { name: 'slurm-it', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 4, memory_gib: 4, gpus: 1 } };
const TIME_SCALE = 0.1;
const stateDir = mkdtempSync(join(tmpdir(), 'bench-slurm-it-'));
const providerConfig = { kind: 'netns', subnet: '10.82.0.0/24', bridge: 'bnb', scale_to_host: true, state_dir: stateDir, ready_timeout_s: 30, host_state: hostStateFor('netns') };
const schedulerConfig = SlurmSchedulerSchema.parse(parse(readFileSync(join(root, 'conf/scheduler/slurm.yaml'), 'utf8')));
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const ctx: BackendContext = { signal: new AbortController().signal, log: quiet, workDir: stateDir };

/**
 * 20 jobs over 120 s of workload time (12 s real): every fourth spans both nodes, every fifth
 * wants the node's GPU; 20-70 s runs (2-7 s real) so each is longer than SLURM's 1 s resolution.
 */
function workload(): JobSpec[] {
  return Array.from({ length: 20 }, (_, i): JobSpec => {
    const nodes = i % 4 === 3 ? 2 : 0;
    return {
      id: i + 1, user: `u${i % 3}`, submit: i * 6, cores: nodes ? 2 + (i % 3) * 2 : 1 + (i % 4), nodes,
      gpus: i % 5 === 4 ? 1 : 0, memoryMiB: 256, runtime: 20 + (i * 7) % 50, walltime: 600,
    };
  });
}

const daemons = (ps: Proc[]) => ps.filter((p) => /^(slurmctld|slurmd|slurmstepd|munged)$/.test(p.comm));

describe('SLURM on netns hosts', () => {
  let cluster: Cluster | undefined;
  let handle: SchedulerHandle | undefined;
  let inodes = new Set<string>();

  beforeAll(async () => {
    cluster = await netnsProvider.up(topology, providerConfig, ctx);
    inodes = namespaceInodes(cluster);
  }, 120_000);

  afterAll(async () => {
    if (handle) await slurmScheduler.stop(handle, ctx).catch(() => undefined);
    if (cluster) await netnsProvider.down(cluster, ctx).catch(() => undefined);
    await cleanupNetnsLeftovers({ state_dir: stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it('reports a slurm.conf value SLURM rejects by its key, with slurmctld\'s words, and leaves no daemon', async () => {
    const bad = { ...schedulerConfig, SchedulerType: 'sched/bogus' };
    const err = await slurmScheduler.configure(cluster as Cluster, bad, ctx).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/SLURM rejected scheduler\.SchedulerType \(sched\/bogus\)/);
    expect(err?.message).toMatch(/slurmctld\.log:\n.*sched\/bogus/);
    expect(await eventually(() => daemons(processesIn(inodes)).length === 0)).toBe(true);
  }, 120_000);

  it('runs a 20-job workload to completion and records every job, the settings and the hosts', async () => {
    const started = Date.now();
    handle = await slurmScheduler.configure(cluster as Cluster, schedulerConfig, ctx);
    const bringUp = (Date.now() - started) / 1000;
    expect(daemons(processesIn(inodes)).map((p) => p.comm).sort()).toEqual(['munged', 'munged', 'munged', 'slurmctld', 'slurmd', 'slurmd']);

    const specs = workload();
    const r = (await slurmScheduler.run(handle, specs, { timeScale: TIME_SCALE, seed: 1, ctx })) as SlurmRunResult;
    expectCompletedAsSubmitted(r.jobs, specs, TIME_SCALE, [1, 2]);
    expect(Math.abs((r.jobs[0]?.submit ?? -1) - 0)).toBe(0);

    const m = computeRunMetrics(r.jobs, 8);
    expect(m.makespan).toBeGreaterThan(0);
    expect(m.utilization).toBeGreaterThan(0);
    expect(m.utilization).toBeLessThanOrEqual(1);
    expect(m.fairness).toBeGreaterThan(0);

    expect(r.settings).toMatchObject({ bf_interval: 1, sched_min_interval: 0, time_scale: TIME_SCALE, payload: 'sleep', time_resolution_s: 10, poll_min_s: 0.5, poll_max_s: 5 });
    expect(r.settings['squeue_polls']).toBeGreaterThan(0);
    expect(r.warnings.join('\n')).toMatch(/PriorityWeightFairshare can only be used with SlurmDBD/);
    for (const h of (cluster as Cluster).hosts) {
      const rows = r.hosts.filter((s) => s.host === h.name);
      expect(rows.length, h.name).toBeGreaterThan(3);
      expect(rows.every((s) => s.cpuBusy >= 0 && s.cpuBusy <= 1 && s.memUsed > 0 && s.netRx > 0)).toBe(true);
    }
    console.log(`slurm netns: bring-up ${bringUp.toFixed(2)} s, run ${((Date.now() - started) / 1000 - bringUp).toFixed(1)} s, ` +
      `sbatch ${String(r.settings['submit_ms_per_job'])} ms/job, ${String(r.settings['squeue_polls'])} squeue polls, makespan ${m.makespan.toFixed(0)} s (workload), utilization ${m.utilization.toFixed(2)}`);
  }, 240_000);

  it('stop leaves no daemon and is idempotent; down leaves no namespace and no process', async () => {
    await slurmScheduler.stop(handle as SchedulerHandle, ctx);
    expect(await eventually(() => daemons(processesIn(inodes)).length === 0)).toBe(true);
    await slurmScheduler.stop(handle as SchedulerHandle, ctx);
    const sshds = processesIn(inodes);
    expect(sshds.every((p) => p.comm === 'sshd')).toBe(true);
    await netnsProvider.down(cluster as Cluster, ctx);
    const id = String(cluster?.data['id']);
    cluster = undefined;
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toContain(`bench-${id}-`);
    expect(await eventually(() => sshds.every((p) => !existsSync(`/proc/${p.pid}`) || !readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(stateDir)))).toBe(true);
    // The handle of a torn-down cluster still stops cleanly (hosts gone count as stopped).
    await slurmScheduler.stop(handle as SchedulerHandle, ctx);
    handle = undefined;
  }, 120_000);
});
