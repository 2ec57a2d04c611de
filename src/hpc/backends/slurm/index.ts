/**
 * The real SLURM scheduler backend (22.05, Debian packages) on hosts reached over SSH: netns,
 * libvirt, or existing machines. On a cluster bench manages, `configure` writes slurm.conf and
 * starts munged, slurmctld and slurmd, and `stop` cancels every job and stops the daemons. On
 * one it does not manage (provider `ssh` without `manage_scheduler`, or `scheduler.manage:
 * false`), `configure` only inspects the SLURM that is there and `stop` cancels bench's own jobs.
 * Either way `run` replays the workload with sbatch and reads the outcome from the cluster's
 * completion records.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSample } from '../../results/host-series.js';
import { SshPool, type SshPoolOptions } from '../../remote/ssh-pool.js';
import { SshError } from '../../remote/types.js';
import type { JobSpec } from '../../workload/job.js';
import type { BackendContext, Cluster, RunOptions, RunResult, Scheduler, SchedulerHandle } from '../types.js';
import { bringUp, type BringUpResult } from './bring-up.js';
import { startHostSampler } from '../../host-sampling/host-sampler.js';
import { CANCEL_ALL, stopDaemonsScript } from './host-scripts.js';
import { completionSource, JobcompSource, shiftJobcompTimes } from './completions.js';
import { cancelSubmitted, existingSettings, inspectExistingSlurm, recordSubmitted, type ExistingSlurm } from './existing-slurm.js';
import { buildJobRecords, workloadClock } from './records.js';
import { Remote, RemoteCommandError } from '../../remote/remote.js';
import { SLURM_PATHS } from './render-slurm-conf.js';
import { DEFAULT_POLL_MAX_MS, DEFAULT_POLL_MIN_MS, runJobs, type RunJobsOptions, type RunJobsResult } from './run-jobs.js';
import { countFlooredLimits, TIME_LIMIT_GRANULARITY_S, type Payload } from './sbatch.js';
import { SQUEUE_ARGV } from './squeue.js';
import type { SlurmSchedulerConfig } from './config-schema.js';

/** bench's own keys of the `scheduler` group for SLURM, with their defaults. */
export interface SlurmBenchOptions {
  payload: Payload;
  sampleIntervalS: number;
  readyTimeoutS: number;
  submitMemory: boolean;
  /** squeue poll interval bounds as configured; unset ones take a default that depends on who manages the cluster. */
  pollMinS: number | undefined;
  pollMaxS: number | undefined;
}

/**
 * bench's own keys with their defaults. The config was validated at compose time (payload, positive
 * numbers, poll_max_s >= poll_min_s are rules of `SlurmSchedulerSchema`), so this only fills gaps.
 */
export function slurmBenchOptions(config: SlurmSchedulerConfig): SlurmBenchOptions {
  return {
    payload: config.payload ?? 'sleep',
    sampleIntervalS: config.sample_interval_s ?? 1,
    readyTimeoutS: config.ready_timeout_s ?? 60,
    submitMemory: config.submit_memory === true,
    pollMinS: config.poll_min_s,
    pollMaxS: config.poll_max_s,
  };
}

export interface PollLimitsS {
  minS: number;
  maxS: number;
}

/** The squeue poll bounds a run uses, seconds: configured ones, else the defaults for this kind of cluster. */
export function pollLimitsS(o: Pick<SlurmBenchOptions, 'pollMinS' | 'pollMaxS'>, existing: boolean): PollLimitsS {
  const minDefault = (existing ? EXISTING_POLL_MS : DEFAULT_POLL_MIN_MS) / 1000;
  const minS = o.pollMinS ?? Math.min(minDefault, o.pollMaxS ?? Infinity);
  return { minS, maxS: o.pollMaxS ?? Math.max(DEFAULT_POLL_MAX_MS / 1000, minS) };
}

type ManagedData = BringUpResult & { config: SlurmSchedulerConfig; managed?: true };
type ExistingData = ExistingSlurm & { config: SlurmSchedulerConfig };
type HandleData = ManagedData | ExistingData;

/** Least poll interval on a cluster bench does not manage: squeue every 0.5 s is a load others share. */
const EXISTING_POLL_MS = 2000;

/** Run results of a real backend also carry the hosts' time series (hosts.arrow). */
export type SlurmRunResult = RunResult & { hosts: HostSample[] };

function withPool<T>(ctx: BackendContext, f: (pool: SshPool) => Promise<T>, options: SshPoolOptions = {}): Promise<T> {
  const pool = new SshPool({ onEvent: (e) => ctx.log.debug(`ssh: ${JSON.stringify(e)}`), ...options });
  return f(pool).finally(() => pool.close());
}

function schedulerParameter(config: SlurmSchedulerConfig, key: string, dflt: string): unknown {
  return config.SchedulerParameters?.[key] ?? dflt;
}

/** Settings every real run records, whoever manages the cluster. */
function runSettings(jobs: readonly JobSpec[], o: SlurmBenchOptions & { poll: PollLimitsS }, timeScale: number, r: RunJobsResult): Record<string, unknown> {
  return {
    time_scale: timeScale,
    payload: o.payload,
    submit_memory: o.submitMemory,
    time_limit_floor: `${TIME_LIMIT_GRANULARITY_S} s real (${TIME_LIMIT_GRANULARITY_S / timeScale} s of workload time): SLURM limits are whole minutes`,
    time_limits_raised_to_floor: countFlooredLimits(jobs, timeScale),
    time_resolution_s: 1 / timeScale,
    sample_interval_s: o.sampleIntervalS,
    poll_min_s: o.poll.minS,
    poll_max_s: o.poll.maxS,
    squeue_polls: r.squeuePolls,
    submit_ms_per_job: Math.round(r.submitMsPerJob * 10) / 10,
    max_submit_lag_s: Math.round(r.maxSubmitLagS * 1000) / 1000,
  };
}

function managedSettings(data: ManagedData): Record<string, unknown> {
  return {
    bf_interval: schedulerParameter(data.config, 'bf_interval', '30 (SLURM default)'),
    sched_min_interval: schedulerParameter(data.config, 'sched_min_interval', '2 (SLURM default, microseconds)'),
    select_type: data.selectType,
    bring_up_s: data.bringUpSeconds,
    notes: data.notes,
  };
}

function isExisting(data: HandleData): data is ExistingData {
  return data.managed === false;
}

/** Inspects the SLURM already running on the login host; changes nothing there. */
async function configureExisting(cluster: Cluster, config: SlurmSchedulerConfig, ctx: BackendContext): Promise<SchedulerHandle> {
  mkdirSync(ctx.workDir, { recursive: true });
  const jobsFile = join(ctx.workDir, `slurm-submitted-${randomBytes(3).toString('hex')}.txt`);
  const data = await withPool(ctx, (pool) => inspectExistingSlurm(new Remote(pool, cluster, ctx.signal), { config, ctx, jobsFile }));
  const p = data.partition;
  ctx.log.info(`slurm: using the cluster's own SLURM ${data.clusterConfig['SLURM_VERSION'] ?? ''} (cluster ${data.clusterName}), partition ${p.name}: ${p.nodes} nodes, ${p.cpus} CPUs, ${p.gpus} GPUs; completions from ${data.collection.kind}`);
  for (const line of data.unapplied) ctx.log.warn(`slurm: ${line}`);
  const handleData: ExistingData = { ...data, config };
  return { kind: 'slurm', cluster, data: handleData as unknown as Record<string, unknown> };
}

async function configure(cluster: Cluster, config: SlurmSchedulerConfig, ctx: BackendContext): Promise<SchedulerHandle> {
  const providerManages = cluster.data['manageScheduler'] !== false;
  if (!providerManages && config.manage === true) {
    throw new Error('scheduler slurm: scheduler.manage is true, but the hosts run their own scheduler (provider manage_scheduler: false); bench would overwrite its slurm.conf and munge key, so it does not configure it. Set manage_scheduler: true only on hosts bench may take over.');
  }
  if (!providerManages || config.manage === false) return configureExisting(cluster, config, ctx);
  if (config.partition !== undefined) ctx.log.warn(`slurm: scheduler.partition=${config.partition} is for clusters bench does not manage; bench's own cluster has one partition, which jobs go to`);
  const options = slurmBenchOptions(config);
  const data = await withPool(ctx, (pool) => bringUp(new Remote(pool, cluster, ctx.signal), { config, readyTimeoutS: options.readyTimeoutS, ctx }));
  ctx.log.info(`slurm: cluster ${data.clusterName} up in ${data.bringUpSeconds.toFixed(2)} s (${cluster.hosts.filter((h) => h.role === 'compute').length} nodes idle)`);
  for (const line of data.ignored) ctx.log.warn(`slurm: slurmctld: ${line}`);
  const handleData: HandleData = { ...data, config };
  return { kind: 'slurm', cluster, data: handleData as unknown as Record<string, unknown> };
}

/** How this handle's cluster is polled and where its completions come from. */
function collectionOptions(data: HandleData, remote: Remote): Pick<RunJobsOptions, 'source' | 'squeueArgv' | 'onSubmitted'> {
  if (!isExisting(data)) return { source: new JobcompSource(remote, { kind: 'jobcomp', path: SLURM_PATHS.jobComp, timeZone: 'UTC' }) };
  return {
    source: completionSource(remote, data.collection),
    squeueArgv: [...SQUEUE_ARGV, '--me'],
    onSubmitted: (id) => recordSubmitted(data.jobsFile, id),
  };
}

/** Submits and collects; on a cluster bench does not manage, a failed run cancels the jobs it left there. */
async function submitAndCollect(remote: Remote, jobs: readonly JobSpec[], data: HandleData, o: { bench: SlurmBenchOptions; poll: PollLimitsS; timeScale: number; ctx: BackendContext }): Promise<RunJobsResult> {
  const collection = collectionOptions(data, remote);
  if (collection.source instanceof JobcompSource && isExisting(data)) await collection.source.skipExisting();
  const partition = isExisting(data) ? { partition: data.partition.name } : {};
  const submit = { timeScale: o.timeScale, payload: o.bench.payload, submitMemory: o.bench.submitMemory, totalGpus: data.selectType === 'select/cons_tres', ...partition };
  try {
    return await runJobs(remote, jobs, { submit, log: o.ctx.log, ...collection, pollIntervalMs: o.poll.minS * 1000, pollMaxMs: o.poll.maxS * 1000 });
  } catch (e) {
    if (isExisting(data)) {
      const n = await withPool(o.ctx, (pool) => cancelSubmitted(new Remote(pool, remote.cluster, new AbortController().signal), data.jobsFile)).catch(() => 0);
      o.ctx.log.warn(`slurm: run failed; cancelled ${n} of its jobs still queued or running on the cluster`);
    }
    throw e;
  }
}

/** Warnings and settings of a run on a cluster bench does not manage; corrects jobcomp times read in the wrong zone. */
function existingOutcome(data: ExistingData, result: RunJobsResult): { warnings: string[]; settings: Record<string, unknown> } {
  const warnings = [...data.unapplied];
  const settings = existingSettings(data);
  if (data.collection.kind === 'jobcomp') {
    const shift = shiftJobcompTimes(result);
    if (shift) {
      warnings.push(`${data.collection.path} is written in another time zone than ${data.collection.timeZone} (the login host's): its times were ${shift} s off squeue's and are corrected by that`);
      settings['jobcomp_time_shift_s'] = shift;
    }
  }
  if (data.collection.kind === 'squeue') warnings.push(`completions read from squeue: ${data.collectionNote}`);
  return { warnings, settings };
}

async function run(handle: SchedulerHandle, jobs: JobSpec[], options: RunOptions): Promise<SlurmRunResult> {
  const data = handle.data as unknown as HandleData;
  const o = slurmBenchOptions(data.config);
  const poll = pollLimitsS(o, isExisting(data));
  const { ctx, timeScale } = options;
  return withPool(ctx, async (pool) => {
    const remote = new Remote(pool, handle.cluster, ctx.signal);
    const sampler = startHostSampler(remote, handle.cluster.hosts, o.sampleIntervalS * 1000, ctx.log);
    let result: RunJobsResult;
    let samples: HostSample[];
    try {
      result = await submitAndCollect(remote, jobs, data, { bench: o, poll, timeScale, ctx });
    } finally {
      samples = await sampler.stop();
    }
    const { warnings, settings } = isExisting(data) ? existingOutcome(data, result) : { warnings: data.ignored.map((l) => `slurmctld ignores a setting: ${l}`), settings: managedSettings(data) };
    const inputs = { specs: jobs, submissions: result.submissions, completions: result.completions, timeScale };
    const clock = workloadClock(inputs);
    const rejected = [...result.submissions.values()].filter((s) => s.kind === 'rejected').length;
    if (rejected) warnings.push(`${rejected} job(s) rejected by sbatch are recorded as failed`);
    if (result.unrunnable.size) {
      const which = [...result.unrunnable].map(([id, reason]) => `SLURM job ${id} (${reason})`).join(', ');
      warnings.push(`${result.unrunnable.size} job(s) could never start as submitted and were cancelled, recorded as failed: ${which}`);
    }
    if (new Set(jobs.map((j) => j.user)).size > 1) warnings.push(`all jobs run as ${remote.head.user}: SLURM sees one user, so per-user priority (fairshare) does not act; fairness is computed from the workload users`);
    return {
      jobs: buildJobRecords(inputs),
      warnings,
      settings: { ...settings, ...runSettings(jobs, { ...o, poll }, timeScale, result) },
      hosts: samples.map((s) => ({ ...s, t: clock(s.t) })),
    };
  });
}

/** Cancels the jobs bench submitted to a cluster it does not manage; the cluster's SLURM keeps running. */
async function stopExisting(handle: SchedulerHandle, data: ExistingData, ctx: BackendContext): Promise<void> {
  try {
    const n = await withPool(ctx, (pool) => cancelSubmitted(new Remote(pool, handle.cluster, new AbortController().signal), data.jobsFile), { connectRetries: 1, readyTimeoutMs: 5000 });
    ctx.log.info(`slurm: cancelled ${n} of bench's jobs still on the cluster; its SLURM is not bench's and keeps running`);
  } catch (e) {
    if (!(e instanceof SshError || e instanceof RemoteCommandError)) throw e;
    ctx.log.warn(`slurm: stop: ${e.message}; jobs bench submitted may still be queued (ids in ${data.jobsFile})`);
  }
}

/** Cancels every job and stops the daemons on every host; hosts already gone count as stopped. */
async function stop(handle: SchedulerHandle, ctx: BackendContext): Promise<void> {
  const data = handle.data as unknown as HandleData;
  if (isExisting(data)) return stopExisting(handle, data, ctx);
  await withPool(ctx, async (pool) => {
    const remote = new Remote(pool, handle.cluster, new AbortController().signal);
    const quiet = async (f: () => Promise<unknown>, host: string) => {
      try {
        await f();
      } catch (e) {
        if (!(e instanceof SshError)) throw e;
        ctx.log.debug(`slurm: stop: ${host} unreachable (${e.message}); nothing to stop there`);
      }
    };
    await quiet(() => remote.exec(remote.head, { script: CANCEL_ALL }, 20_000), remote.head.name);
    await Promise.all(handle.cluster.hosts.map((h) => quiet(() => remote.exec(h, { script: stopDaemonsScript() }, 30_000), h.name)));
    // Hosts that are gone (a cluster already torn down) must not hold teardown up for long.
  }, { connectRetries: 1, readyTimeoutMs: 5000 });
  ctx.log.info('slurm: daemons stopped');
}

/** SLURM on hosts reached over SSH; takes the `scheduler` group as `SlurmSchedulerSchema` validated it. */
export const slurmScheduler: Scheduler<SlurmSchedulerConfig> = { kind: 'slurm', configure, run, stop };
