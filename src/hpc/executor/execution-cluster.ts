/**
 * The cluster a SLURM executor submits to. `provider: netns` brings up a SLURM cluster of
 * network namespaces on this machine (1 head + `hosts` compute hosts, the netns provider and
 * SLURM backend as a benchmark run uses them) for the run and takes it down afterwards; the hosts
 * see this machine's filesystem, so staging and job files go through it. `provider: ssh` (an
 * existing cluster) is not built yet.
 */
import { join } from 'node:path';
import type { Logger } from '../../engine/graph/task-def.js';
import { cleanupNetnsLeftovers, netnsProvider } from '../backends/netns/netns-provider.js';
import { hostStateFor } from '../backends/registry.js';
import { slurmScheduler } from '../backends/slurm/index.js';
import type { BackendContext, Cluster, SchedulerHandle, Topology } from '../backends/types.js';
import { Remote } from '../remote/remote.js';
import { SshPool } from '../remote/ssh-pool.js';
import type { SlurmExecutorConfig } from './executor-schema.js';

/** A live cluster to submit to, with the directory its hosts and this process both see. */
export interface ExecutionCluster {
  remote: Remote;
  /** Staging and job files, at the same path on this machine and on every compute host. */
  dir: string;
  /** Compute hosts' CPUs in total (how many one-core tasks run at once). */
  cpus: number;
  close(): Promise<void>;
}

/** The SLURM the executor's own netns cluster runs: one partition, cores as the consumable. */
const EXECUTOR_SLURM = { kind: 'slurm', SchedulerType: 'sched/backfill', SelectType: 'select/cons_tres', SelectTypeParameters: 'CR_Core' };

/** Brings the execution cluster up; `close` takes it down (also after a failed bring-up). */
export async function openExecutionCluster(cfg: SlurmExecutorConfig, o: { cacheDir: string; log: Logger; signal: AbortSignal }): Promise<ExecutionCluster> {
  if (cfg.provider !== 'netns') throw new Error('executor.provider=ssh (an existing cluster) is not built yet; use executor.provider=netns');
  const dir = cfg.shared_dir ?? cfg.remote_cache_dir ?? join(o.cacheDir, 'executor');
  const stateDir = join(dir, 'netns');
  const ctx: BackendContext = { signal: o.signal, log: o.log, workDir: join(dir, 'work') };
  // A coordinator killed earlier left its cluster recorded here; its subnet is ours again.
  await cleanupNetnsLeftovers({ state_dir: stateDir }, { deadOwnersOnly: true });
  const hosts = typeof cfg.hosts === 'number' ? cfg.hosts : cfg.hosts.length;
  const vcpus = cfg.host_cpus ?? 2;
  const topology: Topology = { name: 'executor', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: Math.max(1, hosts), vcpus, memory_gib: 4, gpus: 0 } };
  const providerConfig = {
    kind: 'netns', subnet: cfg.subnet ?? '10.93.0.0/24', bridge: cfg.bridge ?? 'bxbr0', scale_to_host: true,
    state_dir: stateDir, ready_timeout_s: 60, host_state: hostStateFor('netns'),
  };
  let cluster: Cluster | undefined;
  let handle: SchedulerHandle | undefined;
  const pool = new SshPool({ onEvent: (e) => o.log.debug(`ssh: ${JSON.stringify(e)}`) });
  const close = async (): Promise<void> => {
    const quiet: BackendContext = { ...ctx, signal: new AbortController().signal };
    await pool.close().catch(() => undefined);
    if (handle) await slurmScheduler.stop(handle, quiet).catch((e: unknown) => o.log.warn(`executor: stopping SLURM: ${String(e)}`));
    if (cluster) await netnsProvider.down(cluster, quiet).catch((e: unknown) => o.log.warn(`executor: taking the cluster down: ${String(e)}`));
    await cleanupNetnsLeftovers({ state_dir: stateDir }).catch(() => 0);
  };
  try {
    cluster = await netnsProvider.up(topology, providerConfig, ctx);
    handle = await slurmScheduler.configure(cluster, EXECUTOR_SLURM, ctx);
  } catch (e) {
    await close();
    throw e;
  }
  return { remote: new Remote(pool, cluster, o.signal), dir, cpus: Math.max(1, hosts) * vcpus, close };
}
