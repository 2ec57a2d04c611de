/**
 * Real Kubernetes + Volcano on netns hosts: `configure` brings the control plane up on the head
 * host's namespace (bring-up.ts), `run` replays the workload as Volcano Jobs (or batch/v1 Jobs for
 * the stock kube-scheduler) and reads the records back from the pods, scraping the schedulers'
 * and API server's metrics meanwhile, and `stop` ends the components. Pods are run by KWOK: the
 * API server, controllers and schedulers are real, the kubelet is emulated.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSpec } from '../../workload/job.js';
import type { BackendContext, Cluster, RunOptions, RunResult, Scheduler, SchedulerHandle } from '../types.js';
import { adminEndpoint, bringUp, type KubeHandleData } from './bring-up.js';
import { PORTS, stopComponents } from './control-plane.js';
import { KubeApi } from './kube-api.js';
import { podShape } from './manifests.js';
import { buildRecords } from './records.js';
import { deleteRun, runJobs } from './run-jobs.js';
import { startScraper, type SchedulerSeries } from './scrape.js';

/** A run's result also carries the scheduler-level series (scheduler.arrow). */
export type KubeRunResult = RunResult & { scheduler: SchedulerSeries };

async function configure(cluster: Cluster, config: Record<string, unknown>, ctx: BackendContext): Promise<SchedulerHandle> {
  const data = await bringUp(cluster, config, ctx);
  return { kind: 'kubernetes', cluster, data: data as unknown as Record<string, unknown> };
}

function schedulerMetricsUrl(d: KubeHandleData): string {
  return d.mode === 'volcano' ? `http://${d.address}:${PORTS.volcanoMetrics}/metrics` : `https://${d.address}:${PORTS.kubeScheduler}/metrics`;
}

function settingsOf(d: KubeHandleData, r: Awaited<ReturnType<typeof runJobs>>, o: { timeScale: number; pollMs: number }): Record<string, unknown> {
  return {
    kubernetes_scheduler: d.mode === 'volcano' ? 'volcano (Volcano Jobs, gang of all pods)' : 'kube-scheduler (batch/v1 Jobs)',
    kubelet: 'emulated by KWOK (pods run for their time-scaled runtime; activeDeadlineSeconds enforced by a KWOK stage)',
    time_scale: o.timeScale,
    time_resolution_s: 1 / o.timeScale,
    bring_up_s: d.bringUpSeconds,
    poll_s: o.pollMs / 1000,
    polls: r.polls,
    submit_ms_per_job: Math.round(r.submitMsPerJob * 10) / 10,
    max_submit_lag_s: Math.round(r.maxSubmitLagS * 1000) / 1000,
  };
}

async function run(handle: SchedulerHandle, jobs: JobSpec[], options: RunOptions): Promise<KubeRunResult> {
  const d = handle.data as unknown as KubeHandleData;
  const { ctx, timeScale } = options;
  const pollMs = Number(d.config['poll_s'] ?? 0.5) * 1000;
  const api = new KubeApi(await adminEndpoint(d));
  const runId = randomBytes(3).toString('hex');
  const scraper = startScraper(api, { mode: d.mode, schedulerUrl: schedulerMetricsUrl(d), intervalMs: Number(d.config['scrape_interval_s'] ?? 1) * 1000 });
  const o = { runId, mode: d.mode, queue: d.queues[0] ?? 'default', namespace: 'default', coresPerNode: d.coresPerNode, timeScale, pollMs, signal: ctx.signal, log: ctx.log };
  try {
    let result: Awaited<ReturnType<typeof runJobs>>;
    let series: SchedulerSeries;
    try {
      result = await runJobs(api, jobs, o);
    } finally {
      series = await scraper.stop();
    }
    const records = buildRecords(jobs, result.views, { timeScale, replicas: (s) => podShape(s, d.coresPerNode).replicas });
    const created = [...result.views.values()].map((v) => v.created).filter((t): t is number => t !== undefined);
    const origin = created.length ? Math.min(...created) : 0;
    const workloadOrigin = jobs.length ? Math.min(...jobs.map((s) => s.submit)) : 0;
    const warnings: string[] = [];
    if (result.unfinished.length) warnings.push(`${result.unfinished.length} job(s) had not ended when the run gave up and are recorded as cancelled: ${result.unfinished.join(', ')}`);
    const refused = [...result.views.values()].filter((v) => v.rejected !== undefined).length;
    if (refused) warnings.push(`${refused} job(s) refused by the API server are recorded as failed`);
    if (jobs.some((j) => j.nodes === 0)) warnings.push('jobs that let the scheduler choose the node count run as one pod per node-size share of their cores');
    warnings.push('Kubernetes stamps whole seconds: recorded times have a resolution of 1 s real time');
    return {
      jobs: records, warnings, settings: settingsOf(d, result, { timeScale, pollMs }),
      scheduler: { ...series, t: series.t.map((t) => workloadOrigin + (t - origin) / timeScale) },
    };
  } finally {
    await deleteRun(api, o).catch(() => undefined);
    api.close();
  }
}

/** Ends the control plane's processes and removes its data (etcd's included). */
async function stop(handle: SchedulerHandle, ctx: BackendContext): Promise<void> {
  const d = handle.data as unknown as KubeHandleData;
  const left = await stopComponents([...d.components].reverse());
  if (left.length) ctx.log.warn(`kubernetes: ${left.map((c) => `${c.name} (${c.pid})`).join(', ')} would not stop; the cluster's teardown ends them`);
  await rm(join(d.dir, 'etcd'), { recursive: true, force: true });
  ctx.log.info('kubernetes: control plane stopped');
}

/** Kubernetes + Volcano (or kube-scheduler) on netns hosts, nodes by KWOK. */
export const kubernetesScheduler: Scheduler = { kind: 'kubernetes', configure, run, stop };
