/**
 * Real Kubernetes 1.34 + Volcano 1.14 on a 1 head + 2 compute netns cluster: the control plane on
 * the head host's namespace, the compute hosts as KWOK nodes. The workload's over-limit job is
 * ended at its activeDeadlineSeconds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { cleanupNetnsLeftovers, netnsProvider } from '../../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor, schedulerFor } from '../../src/hpc/backends/registry.js';
import type { Scheduler, Topology } from '../../src/hpc/backends/types.js';
import { KUBERNETES } from '../support/kubernetes.js';
import { namespaceInodes, processesIn } from '../support/procs.js';
import { describeSchedulerConformance } from './scheduler-conformance.js';

const root = resolve(import.meta.dirname, '../..');
const topology: Topology = { name: 'conformance', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 2, memory_gib: 1, gpus: 0 } };

describeSchedulerConformance({
  name: 'Kubernetes + Volcano on netns',
  requires: KUBERNETES,
  timeScale: 0.5,
  // Kubernetes stamps whole seconds, and KWOK moves a bound pod to Running a moment later.
  slackS: 2.5,
  timeLimitFloorS: 4,
  enforcesTimeLimit: true,
  timeoutMs: 400_000,
  async setUp(ctx) {
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-conformance-k8s-'));
    const c = { ...ctx, workDir: stateDir };
    const config = { kind: 'netns', subnet: '10.86.0.0/24', bridge: 'bck', scale_to_host: true, state_dir: stateDir, ready_timeout_s: 60, host_state: hostStateFor('netns') };
    const cluster = await netnsProvider.up(topology, config, c);
    const inodes = namespaceInodes(cluster);
    const id = String(cluster.data['id']);
    const scheduler = (await schedulerFor('netns', 'kubernetes')) as Scheduler;
    const conf = { ...(parse(readFileSync(join(root, 'conf/scheduler/kubernetes.yaml'), 'utf8')) as Record<string, unknown>), ready_timeout_s: 240 };
    const handle = await scheduler.configure(cluster, conf, c).catch(async (e: unknown) => {
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
        if (existsSync(join(stateDir, id))) left.push(`cluster dir ${id} (etcd data, PKI)`);
        rmSync(stateDir, { recursive: true, force: true });
        return [...left, ...netns.map((n) => `namespace ${n}`)];
      },
    };
  },
});
