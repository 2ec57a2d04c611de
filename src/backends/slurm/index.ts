/**
 * The real SLURM scheduler backend (22.05, Debian packages) on hosts reached over SSH: netns,
 * libvirt, or existing machines bench may manage. `configure` writes slurm.conf and starts
 * munged, slurmctld and slurmd; `run` replays the workload with sbatch and reads the outcome
 * from slurmctld's completion log; `stop` cancels every job and stops the daemons.
 */
import type { HostSample } from '../../results/host-series.js';
import { SshPool, type SshPoolOptions } from '../../ssh/ssh-pool.js';
import { SshError } from '../../ssh/types.js';
import type { JobSpec } from '../../workload/job.js';
import type { BackendContext, Cluster, RunOptions, RunResult, Scheduler, SchedulerHandle } from '../types.js';
import { bringUp, type BringUpResult } from './bring-up.js';
import { startHostSampler } from './host-sampler.js';
import { CANCEL_ALL, stopDaemonsScript } from './host-scripts.js';
import { buildJobRecords, workloadClock } from './records.js';
import { Remote } from './remote.js';
import { runJobs } from './run-jobs.js';
import { countFlooredLimits, TIME_LIMIT_GRANULARITY_S, type Payload } from './sbatch.js';

/** bench's own keys of the `scheduler` group for SLURM, with their defaults. */
export interface SlurmBenchOptions {
  payload: Payload;
  sampleIntervalS: number;
  readyTimeoutS: number;
  submitMemory: boolean;
}

/** Reads bench's own keys; a bad value is a bug in config validation, so it throws. */
export function slurmBenchOptions(config: Record<string, unknown>): SlurmBenchOptions {
  const payload = config['payload'] ?? 'sleep';
  if (payload !== 'sleep' && payload !== 'stress-ng') throw new Error(`scheduler.payload: expected sleep or stress-ng, found ${String(payload)}`);
  const num = (k: string, d: number) => {
    const v = Number(config[k] ?? d);
    if (!(v > 0)) throw new Error(`scheduler.${k}: expected a positive number of seconds, found ${String(config[k])}`);
    return v;
  };
  return { payload, sampleIntervalS: num('sample_interval_s', 1), readyTimeoutS: num('ready_timeout_s', 60), submitMemory: config['submit_memory'] === true };
}

type HandleData = BringUpResult & { config: Record<string, unknown> };

/** Run results of a real backend also carry the hosts' time series (hosts.arrow). */
export type SlurmRunResult = RunResult & { hosts: HostSample[] };

function withPool<T>(ctx: BackendContext, f: (pool: SshPool) => Promise<T>, options: SshPoolOptions = {}): Promise<T> {
  const pool = new SshPool({ onEvent: (e) => ctx.log.debug(`ssh: ${JSON.stringify(e)}`), ...options });
  return f(pool).finally(() => pool.close());
}

function schedulerParameter(config: Record<string, unknown>, key: string, dflt: string): unknown {
  const p = config['SchedulerParameters'];
  const v = p && typeof p === 'object' ? (p as Record<string, unknown>)[key] : undefined;
  return v ?? dflt;
}

function settingsOf(data: HandleData, jobs: readonly JobSpec[], o: SlurmBenchOptions, timeScale: number, r: { submitMsPerJob: number; maxSubmitLagS: number }): Record<string, unknown> {
  return {
    bf_interval: schedulerParameter(data.config, 'bf_interval', '30 (SLURM default)'),
    sched_min_interval: schedulerParameter(data.config, 'sched_min_interval', '2 (SLURM default, microseconds)'),
    select_type: data.selectType,
    time_scale: timeScale,
    payload: o.payload,
    submit_memory: o.submitMemory,
    time_limit_floor: `${TIME_LIMIT_GRANULARITY_S} s real (${TIME_LIMIT_GRANULARITY_S / timeScale} s of workload time): SLURM limits are whole minutes`,
    time_limits_raised_to_floor: countFlooredLimits(jobs, timeScale),
    time_resolution_s: 1 / timeScale,
    sample_interval_s: o.sampleIntervalS,
    submit_ms_per_job: Math.round(r.submitMsPerJob * 10) / 10,
    max_submit_lag_s: Math.round(r.maxSubmitLagS * 1000) / 1000,
    bring_up_s: data.bringUpSeconds,
    notes: data.notes,
  };
}

async function configure(cluster: Cluster, config: Record<string, unknown>, ctx: BackendContext): Promise<SchedulerHandle> {
  if (cluster.data['manageScheduler'] === false) {
    throw new Error('scheduler slurm: the hosts run their own scheduler (provider manage_scheduler: false); bench would overwrite its slurm.conf and munge key, so it does not configure it. Set manage_scheduler: true only on hosts bench may take over.');
  }
  const options = slurmBenchOptions(config);
  const data = await withPool(ctx, (pool) => bringUp(new Remote(pool, cluster, ctx.signal), { config, readyTimeoutS: options.readyTimeoutS, ctx }));
  ctx.log.info(`slurm: cluster ${data.clusterName} up in ${data.bringUpSeconds.toFixed(2)} s (${cluster.hosts.filter((h) => h.role === 'compute').length} nodes idle)`);
  for (const line of data.ignored) ctx.log.warn(`slurm: slurmctld: ${line}`);
  const handleData: HandleData = { ...data, config };
  return { kind: 'slurm', cluster, data: handleData as unknown as Record<string, unknown> };
}

async function run(handle: SchedulerHandle, jobs: JobSpec[], options: RunOptions): Promise<SlurmRunResult> {
  const data = handle.data as unknown as HandleData;
  const o = slurmBenchOptions(data.config);
  const { ctx, timeScale } = options;
  return withPool(ctx, async (pool) => {
    const remote = new Remote(pool, handle.cluster, ctx.signal);
    const sampler = startHostSampler(remote, handle.cluster.hosts, o.sampleIntervalS * 1000, ctx.log);
    let result: Awaited<ReturnType<typeof runJobs>>;
    let samples: HostSample[];
    try {
      result = await runJobs(remote, jobs, { submit: { timeScale, payload: o.payload, submitMemory: o.submitMemory, totalGpus: data.selectType === 'select/cons_tres' }, log: ctx.log });
    } finally {
      samples = await sampler.stop();
    }
    const inputs = { specs: jobs, submissions: result.submissions, completions: result.completions, timeScale };
    const clock = workloadClock(inputs);
    const warnings = data.ignored.map((l) => `slurmctld ignores a setting: ${l}`);
    const rejected = [...result.submissions.values()].filter((s) => s.kind === 'rejected').length;
    if (rejected) warnings.push(`${rejected} job(s) rejected by sbatch are recorded as failed`);
    if (new Set(jobs.map((j) => j.user)).size > 1) warnings.push('all jobs run as root: SLURM sees one user, so per-user priority (fairshare) does not act; fairness is computed from the workload users');
    return {
      jobs: buildJobRecords(inputs),
      warnings,
      settings: settingsOf(data, jobs, o, timeScale, result),
      hosts: samples.map((s) => ({ ...s, t: clock(s.t) })),
    };
  });
}

/** Cancels every job and stops the daemons on every host; hosts already gone count as stopped. */
async function stop(handle: SchedulerHandle, ctx: BackendContext): Promise<void> {
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

/** SLURM on hosts reached over SSH. */
export const slurmScheduler: Scheduler = { kind: 'slurm', configure, run, stop };
