/**
 * The cluster a SLURM executor submits to. `provider: netns` brings up a SLURM cluster of
 * network namespaces on this machine (1 head + `hosts` compute hosts, the netns provider and
 * SLURM backend as a benchmark run uses them) for the run and takes it down afterwards; the hosts
 * see this machine's filesystem, so staging and job files go through it. A coordinator killed
 * with its cluster up leaves `cache/executor-cluster.json`: the next run with the same settings
 * adopts that cluster (its jobs keep running) instead of destroying it. `provider: ssh` is an
 * existing cluster reached at its login node (`ssh-cluster.ts`): nothing is brought up or down.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../engine/graph/task-def.js';
import { canonicalJson } from '../../engine/hash/canonical-json.js';
import { cleanupNetnsLeftovers, netnsProvider } from '../backends/netns/netns-provider.js';
import { ownerAlive } from '../backends/owner.js';
import { hostStateFor } from '../backends/registry.js';
import { slurmScheduler } from '../backends/slurm/index.js';
import type { SlurmSchedulerConfig } from '../backends/slurm/config-schema.js';
import type { BackendContext, Cluster, SchedulerHandle, Topology } from '../backends/types.js';
import { Remote } from '../remote/remote.js';
import { SshPool } from '../remote/ssh-pool.js';
import type { SlurmExecutorConfig } from './executor-schema.js';
import { SharedFiles, type JobFiles } from './job-files.js';
import { openSshCluster } from './ssh-cluster.js';

/** A live cluster to submit to, and where its job files live. */
export interface ExecutionCluster {
  remote: Remote;
  /** Staging and job files, and how they reach the hosts. */
  files: JobFiles;
  /** The `node` a job runs `bench` with on the compute hosts. */
  node: string;
  /** Whether it was a killed coordinator's cluster, taken over with its jobs. */
  adopted: boolean;
  close(): Promise<void>;
}

/** The SLURM the executor's own netns cluster runs: one partition, cores as the consumable. */
const EXECUTOR_SLURM: SlurmSchedulerConfig = { kind: 'slurm', SchedulerType: 'sched/backfill', SelectType: 'select/cons_tres', SelectTypeParameters: 'CR_Core' };

/** What the next coordinator needs to adopt the cluster: who owns it, its settings, its handle. */
interface ClusterRecord {
  owner: number;
  key: string;
  handle: SchedulerHandle;
}

/** Brings the execution cluster up (or adopts a dead coordinator's); `close` takes it down. */
export async function openExecutionCluster(cfg: SlurmExecutorConfig, o: { cacheDir: string; log: Logger; signal: AbortSignal }): Promise<ExecutionCluster> {
  if (cfg.provider === 'ssh') return openSshCluster(cfg, o);
  const dir = cfg.shared_dir ?? cfg.remote_cache_dir ?? join(o.cacheDir, 'executor');
  // The provider's own state dir: a cluster a killed coordinator left is found by `bench gc` and
  // by the next run on this cache (owners that are dead only), like a benchmark cluster.
  const stateDir = join(o.cacheDir, 'netns');
  const recordFile = join(o.cacheDir, 'executor-cluster.json');
  const ctx: BackendContext = { signal: o.signal, log: o.log, workDir: join(dir, 'work') };
  const hosts = typeof cfg.hosts === 'number' ? cfg.hosts : cfg.hosts.length;
  const vcpus = cfg.host_cpus ?? 2;
  const providerConfig = {
    kind: 'netns', subnet: cfg.subnet ?? '10.93.0.0/24', bridge: cfg.bridge ?? 'bxbr0', scale_to_host: true,
    state_dir: stateDir, ready_timeout_s: 60, host_state: hostStateFor('netns'),
  };
  const key = canonicalJson({ providerConfig, hosts, vcpus, dir });
  const pool = new SshPool({ onEvent: (e) => o.log.debug(`ssh: ${JSON.stringify(e)}`) });
  let handle: SchedulerHandle | undefined = await adoptCluster(recordFile, key, pool, o);
  const adopted = handle !== undefined;
  // Anything else a killed coordinator left on this cache (settings changed since) goes.
  await cleanupNetnsLeftovers({ state_dir: stateDir }, { deadOwnersOnly: true });
  let cluster: Cluster | undefined = handle?.cluster;
  const close = async (): Promise<void> => {
    const quiet: BackendContext = { ...ctx, signal: new AbortController().signal };
    await pool.close().catch(() => undefined);
    if (handle) await slurmScheduler.stop(handle, quiet).catch((e: unknown) => o.log.warn(`executor: stopping SLURM: ${String(e)}`));
    if (cluster) await netnsProvider.down(cluster, quiet).catch((e: unknown) => o.log.warn(`executor: taking the cluster down: ${String(e)}`));
    rmSync(recordFile, { force: true });
  };
  if (!handle) {
    try {
      const topology: Topology = { name: 'executor', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: Math.max(1, hosts), vcpus, memory_gib: 4, gpus: 0 } };
      cluster = await netnsProvider.up(topology, providerConfig, ctx);
      handle = await slurmScheduler.configure(cluster, EXECUTOR_SLURM, ctx);
      writeRecord(recordFile, { owner: process.pid, key, handle });
    } catch (e) {
      await close();
      throw e;
    }
  }
  // The hosts see this machine's filesystem: the directory is shared as it is.
  return { remote: new Remote(pool, handle.cluster, o.signal), files: new SharedFiles(dir), node: cfg.node ?? process.execPath, adopted, close };
}

function writeRecord(file: string, rec: ClusterRecord): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(rec));
  renameSync(`${file}.tmp`, file);
}

/**
 * Takes over the cluster a dead coordinator recorded, when its settings are this run's and its
 * SLURM still answers: the provider's record is given this process as owner (so no cleanup of
 * leftovers destroys it), and the jobs still running on it are collected by this run.
 */
async function adoptCluster(recordFile: string, key: string, pool: SshPool, o: { log: Logger; signal: AbortSignal }): Promise<SchedulerHandle | undefined> {
  if (!existsSync(recordFile)) return undefined;
  let rec: ClusterRecord;
  try {
    rec = JSON.parse(readFileSync(recordFile, 'utf8')) as ClusterRecord;
  } catch {
    return undefined;
  }
  const stateFile = rec.handle.cluster.data['stateFile'];
  if (ownerAlive(rec.owner) || rec.key !== key || typeof stateFile !== 'string' || !existsSync(stateFile)) return undefined;
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { owner?: number; id?: string };
  if (ownerAlive(state.owner)) return undefined;
  writeFileSync(`${stateFile}.adopt.tmp`, JSON.stringify({ ...state, owner: process.pid }, null, 2));
  renameSync(`${stateFile}.adopt.tmp`, stateFile);
  const remote = new Remote(pool, rec.handle.cluster, o.signal);
  const head = remote.head;
  const r = await remote.exec(head, ['sinfo', '-h'], 15_000).catch(() => undefined);
  if (!r || r.code !== 0) {
    o.log.warn(`executor: the cluster ${String(state.id)} a killed run left does not answer (${r ? r.stderr.trim() : 'ssh failed'}); taking it down`);
    const quiet: BackendContext = { signal: new AbortController().signal, log: o.log, workDir: '' };
    await slurmScheduler.stop(rec.handle, quiet).catch(() => undefined);
    await netnsProvider.down(rec.handle.cluster, quiet).catch(() => undefined);
    return undefined;
  }
  writeRecord(recordFile, { ...rec, owner: process.pid });
  o.log.info(`executor: adopted the SLURM cluster ${String(state.id)} of a killed run (PID ${rec.owner}), with its jobs`);
  return rec.handle;
}
