/**
 * Real SLURM 22.05 (slurmctld, slurmd, munged) on a 1 head + 2 compute cluster of network
 * namespaces, each host with its own sshd and the per-host folders SLURM's descriptor declares.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { cleanupNetnsLeftovers, netnsProvider } from '../../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor, schedulerFor } from '../../src/hpc/backends/registry.js';
import type { Scheduler, Topology } from '../../src/hpc/backends/types.js';
import { namespaceInodes, processesIn } from '../support/procs.js';
import { NETNS, SLURM } from '../support/requirements.js';
import { describeSchedulerConformance } from './scheduler-conformance.js';

const root = resolve(import.meta.dirname, '../..');
const topology: Topology = { name: 'conformance', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 2, memory_gib: 1, gpus: 0 } };

describeSchedulerConformance({
  name: 'SLURM on netns',
  requires: [...NETNS, ...SLURM],
  timeScale: 0.1,
  // SLURM records whole seconds, and a job step takes a moment to start and end.
  slackS: 2,
  timeLimitFloorS: 60,
  enforcesTimeLimit: true,
  timeoutMs: 400_000,
  async setUp(ctx) {
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-conformance-netns-'));
    const c = { ...ctx, workDir: stateDir };
    const config = { kind: 'netns', subnet: '10.88.0.0/24', bridge: 'bcf', scale_to_host: true, state_dir: stateDir, ready_timeout_s: 60, host_state: hostStateFor('netns') };
    const cluster = await netnsProvider.up(topology, config, c);
    const inodes = namespaceInodes(cluster);
    const id = String(cluster.data['id']);
    const scheduler = (await schedulerFor('netns', 'slurm')) as Scheduler;
    const slurmConfig = { ...(parse(readFileSync(join(root, 'conf/scheduler/slurm.yaml'), 'utf8')) as Record<string, unknown>), ready_timeout_s: 120 };
    const handle = await scheduler.configure(cluster, slurmConfig, c).catch(async (e: unknown) => {
      await netnsProvider.down(cluster, c);
      throw e;
    });
    return {
      scheduler, handle,
      async tearDown() {
        await scheduler.stop(handle, c);
        await netnsProvider.down(cluster, c);
        await cleanupNetnsLeftovers({ state_dir: stateDir });
      },
      async leftovers() {
        const left = processesIn(inodes).map((p) => `process ${p.comm} (${p.pid})`);
        const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(`bench-${id}-`));
        if (existsSync(join(stateDir, `${id}.json`))) left.push(`state file ${id}.json`);
        rmSync(stateDir, { recursive: true, force: true });
        return [...left, ...netns.map((n) => `namespace ${n}`)];
      },
    };
  },
});
