/**
 * Replays a workload on the cluster: each job is created through the API at its time-scaled
 * arrival, and its pods are listed every poll until every job has ended. What was seen is kept
 * per pod, so a pod deleted later (a killed gang's others) keeps its times.
 */
import type { Logger } from '../../../engine/graph/task-def.js';
import type { JobSpec } from '../../workload/job.js';
import { statusMessage, type KubeApi } from './kube-api.js';
import { batchJobManifest, JOB_LABEL, podShape, RUN_LABEL, volcanoJobManifest } from './manifests.js';
import { epoch, jobDone, podView, type JobView } from './records.js';

/** How a run submits and polls. */
export interface RunJobsOptions {
  runId: string;
  mode: 'volcano' | 'default';
  queue: string;
  namespace: string;
  coresPerNode: number;
  timeScale: number;
  pollMs: number;
  signal: AbortSignal;
  log: Logger;
}

/** What the run saw. */
export interface RunJobsResult {
  views: Map<number, JobView>;
  submitMsPerJob: number;
  maxSubmitLagS: number;
  polls: number;
  /** Jobs that had not ended when the run gave up on them. */
  unfinished: number[];
}

/** Collection paths of the job kind a mode submits. */
export function jobsPath(mode: RunJobsOptions['mode'], namespace: string): string {
  return mode === 'volcano' ? `/apis/batch.volcano.sh/v1alpha1/namespaces/${namespace}/jobs` : `/apis/batch/v1/namespaces/${namespace}/jobs`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function submitAll(api: KubeApi, specs: readonly JobSpec[], views: Map<number, JobView>, o: RunJobsOptions): Promise<{ msPerJob: number; maxLagS: number }> {
  const order = [...specs].sort((a, b) => a.submit - b.submit || a.id - b.id);
  const origin = order[0]?.submit ?? 0;
  const t0 = Date.now();
  let busyMs = 0;
  let maxLag = 0;
  for (const job of order) {
    if (o.signal.aborted) break;
    const due = t0 + (job.submit - origin) * o.timeScale * 1000;
    await sleep(due - Date.now());
    maxLag = Math.max(maxLag, (Date.now() - due) / 1000);
    const plan = { runId: o.runId, job, coresPerNode: o.coresPerNode, timeScale: o.timeScale, namespace: o.namespace };
    const manifest = o.mode === 'volcano' ? volcanoJobManifest({ ...plan, queue: o.queue, schedulerName: 'volcano' }) : batchJobManifest({ ...plan, schedulerName: 'default-scheduler' });
    const before = Date.now();
    const r = await api.call('POST', jobsPath(o.mode, o.namespace), manifest);
    busyMs += Date.now() - before;
    const view: JobView = { pods: new Map() };
    if (r.status === 201) {
      view.created = epoch((r.body as { metadata?: { creationTimestamp?: string } }).metadata?.creationTimestamp) ?? Date.now() / 1000;
    } else {
      view.rejected = `HTTP ${r.status}: ${statusMessage(r)}`;
      o.log.warn(`kubernetes: job ${job.id} refused by the API server: ${view.rejected}`);
    }
    views.set(job.id, view);
  }
  return { msPerJob: order.length ? busyMs / order.length : 0, maxLagS: maxLag };
}

type PodObj = Parameters<typeof podView>[0];

async function pollOnce(api: KubeApi, views: Map<number, JobView>, o: RunJobsOptions): Promise<void> {
  const selector = encodeURIComponent(`${RUN_LABEL}=${o.runId}`);
  const pods = await api.list<PodObj>(`/api/v1/namespaces/${o.namespace}/pods?labelSelector=${selector}`);
  for (const p of pods) {
    const v = podView(p, JOB_LABEL);
    views.get(v.jobId)?.pods.set(v.name, v);
  }
  if (o.mode !== 'volcano') return;
  const jobs = await api.list<{ metadata: { labels?: Record<string, string> }; status?: { state?: { phase?: string } } }>(`${jobsPath(o.mode, o.namespace)}?labelSelector=${selector}`);
  for (const j of jobs) {
    const v = views.get(Number(j.metadata.labels?.[JOB_LABEL]));
    const phase = j.status?.state?.phase;
    if (v && phase) v.phase = phase;
  }
}

/** Submits every job on schedule and polls until all have ended (or a generous limit passes). */
export async function runJobs(api: KubeApi, specs: readonly JobSpec[], o: RunJobsOptions): Promise<RunJobsResult> {
  const views = new Map<number, JobView>();
  const replicas = new Map(specs.map((s) => [s.id, podShape(s, o.coresPerNode).replicas]));
  const span = specs.length ? (Math.max(...specs.map((s) => s.submit)) - Math.min(...specs.map((s) => s.submit))) * o.timeScale : 0;
  const work = specs.reduce((t, s) => t + Math.min(s.runtime, s.walltime) * o.timeScale, 0);
  const giveUp = Date.now() + (span + work + 120) * 1000;
  let submitted = false;
  const submission = submitAll(api, specs, views, o).finally(() => { submitted = true; });
  let polls = 0;
  for (;;) {
    await sleep(o.pollMs);
    await pollOnce(api, views, o);
    polls++;
    const open = specs.filter((s) => !views.has(s.id) || !jobDone(views.get(s.id) as JobView, replicas.get(s.id) ?? 1));
    if (submitted && open.length === 0) break;
    if (o.signal.aborted || Date.now() > giveUp) {
      if (!o.signal.aborted) o.log.warn(`kubernetes: ${open.length} job(s) had not ended ${Math.round(span + work + 120)} s into the run (arrival span + every job's run time + 2 min); recorded as cancelled: ${open.map((s) => s.id).join(', ')}`);
      const { msPerJob, maxLagS } = await submission;
      return { views, submitMsPerJob: msPerJob, maxSubmitLagS: maxLagS, polls, unfinished: open.map((s) => s.id) };
    }
  }
  const { msPerJob, maxLagS } = await submission;
  return { views, submitMsPerJob: msPerJob, maxSubmitLagS: maxLagS, polls, unfinished: [] };
}

/** Deletes a run's jobs (their pods go with them); the cluster is ready for the next run. */
export async function deleteRun(api: KubeApi, o: Pick<RunJobsOptions, 'runId' | 'mode' | 'namespace'>): Promise<void> {
  const selector = encodeURIComponent(`${RUN_LABEL}=${o.runId}`);
  await api.call('DELETE', `${jobsPath(o.mode, o.namespace)}?labelSelector=${selector}&propagationPolicy=Background`);
}
