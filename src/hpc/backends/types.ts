/**
 * Narrow backend interfaces. A provider brings hosts up and down; a scheduler configures,
 * submits and collects. The simulator is one implementation among others. Every handle here is
 * JSON, because it is written to the resource ledger and a later process may tear it down.
 */
import type { HostSample } from '../results/host-series.js';
import type { JobRecord, JobSpec } from '../workload/job.js';
import type { Logger } from '../../engine/graph/task-def.js';
import type { HostState } from './descriptor.js';

/** The `topology` config group (conf/topology/*.yaml), as its schema defines it. */
export type { Topology } from '../config/schema.js';
import type { Topology } from '../config/schema.js';

export interface Host {
  name: string;
  role: 'head' | 'compute';
  /** Address and port sshd listens on (empty for the simulator). */
  address: string;
  port: number;
  user: string;
  /** Declared size, as the scheduler is told (may exceed the real host when scaled down). */
  cpus: number;
  memoryMiB: number;
  gpus: number;
  /** Host public key recorded at provision time, checked on every later connection. */
  hostKey?: string;
}

export interface Cluster {
  provider: string;
  hosts: Host[];
  /** Private key file that the hosts accept (never logged). */
  clientKeyPath?: string;
  /** Why declared sizes differ from the real machine, when they do. */
  scaledNote?: string;
  /** Provider-specific JSON needed for teardown (namespace names, PIDs, domain names...). */
  data: Record<string, unknown>;
}

export interface BackendContext {
  signal: AbortSignal;
  log: Logger;
  /** Scratch directory owned by this task instance. */
  workDir: string;
}

/**
 * What `cluster:provision` adds to the provider's validated config group: the built image, the
 * host budget, the project's cache folder and the per-host folders of the schedulers built for
 * this provider. Not user keys, so not in the provider schemas.
 */
export interface ProvisionExtras {
  image?: object;
  budget?: unknown;
  cache_dir?: string;
  host_state?: HostState;
}

/** Where a provider keeps its state between processes; all `cleanupLeftovers` needs. */
export type LeftoverConfig = Pick<ProvisionExtras, 'cache_dir'> & { state_dir?: string };

/**
 * A provider backend, over the config type its descriptor's schema infers (`defineProvider`
 * checks that `load` returns a provider of that type), so it reads its keys as validated. Without
 * a type argument it is the registry's view, which picks the implementation by `kind` (the
 * schemas are built from the descriptors, so the registry cannot name their union here).
 */
export interface Provider<Config = Record<string, unknown>> {
  kind: string;
  up(topology: Topology, config: Config & ProvisionExtras, ctx: BackendContext): Promise<Cluster>;
  down(cluster: Cluster, ctx: BackendContext): Promise<void>;
  /**
   * Destroys what earlier processes left behind — clusters recorded in the provider's state but
   * whose owning bench process is dead (a kill -9 during `up`, before the ledger had a handle).
   * Returns a line for the log, empty when there was nothing.
   */
  cleanupLeftovers?(config: LeftoverConfig): Promise<string>;
}

/** A configured, running scheduler on a cluster. */
export interface SchedulerHandle {
  kind: string;
  cluster: Cluster;
  /** Scheduler-specific JSON (daemon PIDs, rendered config paths...). */
  data: Record<string, unknown>;
}

export interface RunOptions {
  /** Real seconds per workload second (e.g. 0.01 to replay a day in 15 minutes). */
  timeScale: number;
  seed: number;
  ctx: BackendContext;
}

export interface RunResult {
  jobs: JobRecord[];
  /** Keys of the scheduler config the backend does not model or apply, each with why. */
  warnings: string[];
  /** Settings that shaped the result and must be recorded with it (bf_interval, ...). */
  settings: Record<string, unknown>;
  /** Scheduler-level view, where the backend observes it (the simulator does). */
  view?: {
    /** Per event: time, queue length, busy cores, busy GPUs. */
    series: { t: number[]; queued: number[]; busyCores: number[]; busyGpus: number[] };
    /** Idle core-seconds while a waiting job would have fit by count, over total core-seconds. */
    fragmentation: number;
    backfilled: number;
  };
  /** Host counters sampled during a real run, on the jobs' clock (written as hosts.arrow). */
  hosts?: HostSample[];
}

/**
 * A scheduler backend, over the config type its descriptor's schema infers (`defineScheduler`
 * checks that `load` returns a scheduler of that type): the `scheduler` group arrives validated
 * at compose time, so an implementation only fills defaults. Without a type argument it is the
 * registry's view, which picks the implementation by `kind`.
 */
export interface Scheduler<Config = Record<string, unknown>> {
  kind: string;
  configure(cluster: Cluster, config: Config, ctx: BackendContext): Promise<SchedulerHandle>;
  run(handle: SchedulerHandle, jobs: JobSpec[], options: RunOptions): Promise<RunResult>;
  stop(handle: SchedulerHandle, ctx: BackendContext): Promise<void>;
}
