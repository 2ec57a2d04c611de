/**
 * Job records from what the API server holds: submit = the job object's creation, start = the
 * moment the last of its pods was running (the whole gang), end = the last pod's termination
 * (completion or the deadline kill). Kubernetes stamps whole seconds; times go onto the workload
 * clock as SLURM's do: seconds since the first creation divided by the time scale, plus the
 * first job's workload arrival.
 */
import type { JobRecord, JobSpec, JobState } from '../../workload/job.js';

/** A pod as bench reads it (the fields it uses). */
export interface PodView {
  name: string;
  jobId: number;
  phase: string;
  reason?: string;
  node?: string;
  /** Epoch seconds. */
  started?: number;
  finished?: number;
}

/** What bench saw of one submitted job. */
export interface JobView {
  /** Epoch seconds of the job object's creation; undefined when the API server refused it. */
  created?: number;
  rejected?: string;
  /** Pods by name, as last seen (a pod deleted later keeps its last view). */
  pods: Map<string, PodView>;
  /** The job object's own terminal phase, when it reached one (Volcano: Completed, Failed...). */
  phase?: string;
}

/** Epoch seconds of an RFC 3339 time, undefined when absent. */
export function epoch(t: unknown): number | undefined {
  if (typeof t !== 'string') return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** Pod fields bench reads, from a pod object. */
export function podView(p: { metadata: { name: string; labels?: Record<string, string> }; spec?: { nodeName?: string }; status?: Record<string, unknown> }, jobLabel: string): PodView {
  const s = (p.status ?? {}) as { phase?: string; reason?: string; startTime?: string; containerStatuses?: Array<{ state?: { running?: { startedAt?: string }; terminated?: { finishedAt?: string; reason?: string } } }> };
  const term = s.containerStatuses?.map((c) => c.state?.terminated).find((t) => t !== undefined);
  const v: PodView = { name: p.metadata.name, jobId: Number(p.metadata.labels?.[jobLabel] ?? NaN), phase: s.phase ?? 'Pending' };
  const reason = s.reason ?? (s.phase === 'Failed' ? term?.reason : undefined);
  if (reason) v.reason = reason;
  if (p.spec?.nodeName) v.node = p.spec.nodeName;
  const started = epoch(s.startTime) ?? epoch(s.containerStatuses?.[0]?.state?.running?.startedAt);
  if (started !== undefined) v.started = started;
  const finished = epoch(term?.finishedAt);
  if (finished !== undefined) v.finished = finished;
  return v;
}

/** Whether every pod of the job has ended (or the job object says it has). */
export function jobDone(v: JobView, replicas: number): boolean {
  if (v.rejected !== undefined) return true;
  const pods = [...v.pods.values()];
  const ended = pods.filter((p) => p.phase === 'Succeeded' || p.phase === 'Failed');
  return ended.length >= replicas || (v.phase !== undefined && ['Completed', 'Failed', 'Aborted', 'Terminated'].includes(v.phase) && pods.every((p) => p.phase !== 'Running'));
}

function stateOf(pods: readonly PodView[], replicas: number): JobState {
  if (pods.some((p) => p.phase === 'Failed' && p.reason === 'DeadlineExceeded')) return 'timeout';
  if (pods.some((p) => p.phase === 'Failed')) return 'failed';
  if (pods.length >= replicas && pods.every((p) => p.phase === 'Succeeded')) return 'completed';
  return 'cancelled';
}

/** One record per spec, in spec order. */
export function buildRecords(specs: readonly JobSpec[], views: ReadonlyMap<number, JobView>, o: { timeScale: number; replicas: (s: JobSpec) => number }): JobRecord[] {
  const created = [...views.values()].map((v) => v.created).filter((t): t is number => t !== undefined);
  const origin = created.length ? Math.min(...created) : 0;
  const workloadOrigin = specs.length ? Math.min(...specs.map((s) => s.submit)) : 0;
  const clock = (t: number) => workloadOrigin + (t - origin) / o.timeScale;
  const records = specs.map((spec): JobRecord & { order: number; ran: boolean } => {
    const v = views.get(spec.id);
    const never = { id: spec.id, user: spec.user, submit: spec.submit, start: spec.submit, end: spec.submit, cores: spec.cores, nodes: 0, gpus: spec.gpus, backfilled: false, order: Infinity, ran: false };
    if (!v || v.created === undefined) return { ...never, state: v ? 'failed' : 'cancelled' };
    const pods = [...v.pods.values()];
    const submit = clock(v.created);
    const replicas = o.replicas(spec);
    const starts = pods.map((p) => p.started);
    const ran = pods.length >= replicas && starts.every((t) => t !== undefined);
    const start = ran ? Math.max(submit, clock(Math.max(...(starts as number[])))) : submit;
    const ends = pods.map((p) => p.finished).filter((t): t is number => t !== undefined);
    const end = ran && ends.length ? Math.max(start, clock(Math.max(...ends))) : start;
    const state = ran ? stateOf(pods, replicas) : v.rejected !== undefined ? 'failed' : 'cancelled';
    return { ...never, submit, start, end, nodes: ran ? new Set(pods.map((p) => p.node)).size : 0, state, order: v.created + spec.id * 1e-9, ran };
  });
  const ran = records.filter((r) => r.ran).sort((a, b) => a.order - b.order);
  let latest = -Infinity;
  for (const r of ran) {
    r.backfilled = r.start < latest;
    latest = Math.max(latest, r.start);
  }
  return records.map(({ order: _o, ran: _r, ...r }) => r);
}
