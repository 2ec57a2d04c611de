/**
 * SLURM on an existing cluster bench does not manage, reached at its login host with provider
 * `ssh`. A netns cluster with SLURM configured by bench's managed path stands for the cluster an
 * admin set up; bench uses it as it is and leaves it running.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { cleanupNetnsLeftovers, netnsProvider } from '../../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor, providerFor, schedulerFor } from '../../src/hpc/backends/registry.js';
import type { Host, Provider, Scheduler, Topology } from '../../src/hpc/backends/types.js';
import { namespaceInodes, processesIn } from '../support/procs.js';
import { NETNS, SLURM } from '../support/requirements.js';
import { describeSchedulerConformance } from './scheduler-conformance.js';

const root = resolve(import.meta.dirname, '../..');
const topology: Topology = { name: 'conformance-ssh', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 2, memory_gib: 1, gpus: 0 } };

describeSchedulerConformance({
  name: 'SLURM on an existing cluster over SSH',
  requires: [...NETNS, ...SLURM],
  timeScale: 0.1,
  slackS: 2,
  timeLimitFloorS: 60,
  enforcesTimeLimit: true,
  timeoutMs: 400_000,
  async setUp(ctx) {
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-conformance-ssh-'));
    const c = { ...ctx, workDir: stateDir };
    const netns = await netnsProvider.up(topology, { kind: 'netns', subnet: '10.89.0.0/24', bridge: 'bcs', state_dir: stateDir, ready_timeout_s: 60, host_state: hostStateFor('netns') }, c);
    const inodes = namespaceInodes(netns);
    const slurm = (await schedulerFor('ssh', 'slurm')) as Scheduler;
    const adminConfig = { ...(parse(readFileSync(join(root, 'conf/scheduler/slurm.yaml'), 'utf8')) as Record<string, unknown>), ready_timeout_s: 120 };
    const admin = await slurm.configure(netns, adminConfig, c);
    const head = netns.hosts.find((h) => h.role === 'head') as Host;
    const knownHosts = join(stateDir, 'known_hosts');
    writeFileSync(knownHosts, `${head.address} ${head.hostKey ?? ''}\n`);
    const ssh = (await providerFor('ssh')) as Provider;
    const login = await ssh.up(topology, { kind: 'ssh', hosts: [head.address], user: 'root', key: netns.clientKeyPath, known_hosts: knownHosts }, c);
    const handle = await slurm.configure(login, { kind: 'slurm' }, c);
    return {
      scheduler: slurm, handle,
      // The login host's partition: the admin's two compute nodes.
      compute: { nodes: topology.compute_nodes.count, coresPerNode: topology.compute_nodes.vcpus },
      async tearDown() {
        await slurm.stop(handle, c);
        await ssh.down(login, c);
        await slurm.stop(admin, c);
        await netnsProvider.down(netns, c);
        await cleanupNetnsLeftovers({ state_dir: stateDir });
      },
      async leftovers() {
        rmSync(stateDir, { recursive: true, force: true });
        return processesIn(inodes).map((p) => `process ${p.comm} (${p.pid})`);
      },
    };
  },
});
