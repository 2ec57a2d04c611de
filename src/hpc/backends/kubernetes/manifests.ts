/**
 * Pure builders of everything bench sends to the API server: KWOK Nodes sized from the topology,
 * Volcano Queues from the config, and per workload job a Volcano Job (one task, replicas = the
 * job's nodes, gang of all of them) or a batch/v1 Job for the stock kube-scheduler. Tested offline
 * against Volcano's CRD schemas and Kubernetes' own.
 */
import type { Host } from '../types.js';
import type { JobSpec } from '../../workload/job.js';

/** A Kubernetes object as JSON. */
export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

/** Annotation KWOK's pod-complete stage reads: the pod's run time once Running. */
export const RUN_TIME_ANNOTATION = 'pod-complete.stage.kwok.x-k8s.io/delay';
/** Annotation bench's pod-deadline stage reads: when the kubelet would kill the pod (activeDeadlineSeconds). */
export const DEADLINE_ANNOTATION = 'bench.kwok.x-k8s.io/deadline';
/** Labels that find a run's objects. */
export const RUN_LABEL = 'bench/run';
export const JOB_LABEL = 'bench/job-id';
/** KWOK manages only Nodes with this annotation. */
export const KWOK_NODE_ANNOTATION = { 'kwok.x-k8s.io/node': 'fake' };

/** Kubernetes quantity syntax (the CRDs' pattern). */
export const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

const SUFFIX: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** The value of a quantity (the API server writes `4096Mi` back as `4Gi`); NaN when it is not one. */
export function quantityValue(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|([numkMGTPE]i?|))$/.exec(q);
  if (!m) return Number.NaN;
  if (m[2]) return Number(`${m[1]}${m[2]}`);
  const mult = SUFFIX[m[3] ?? ''];
  return mult === undefined ? Number.NaN : Number(m[1]) * mult;
}

/** A Node for one compute host, with the declared size as capacity. */
export function nodeManifest(h: Pick<Host, 'name' | 'cpus' | 'memoryMiB' | 'gpus'>): Manifest {
  const capacity: Record<string, string> = { cpu: String(h.cpus), memory: `${h.memoryMiB}Mi`, pods: '110' };
  if (h.gpus > 0) capacity['nvidia.com/gpu'] = String(h.gpus);
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: h.name,
      annotations: { ...KWOK_NODE_ANNOTATION, 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { type: 'kwok', 'kubernetes.io/hostname': h.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
    },
    spec: {},
    status: { capacity, allocatable: { ...capacity } },
  };
}

/** One entry of `scheduler.volcano.queues`. */
export interface QueueConfig {
  name: string;
  weight?: number;
  reclaimable?: boolean;
  capability?: Record<string, string | number | boolean>;
}

/** A problem with a config value, by its key. */
export interface KeyProblem { key: string; message: string }

/** Kubernetes object names: DNS-1123 subdomains. */
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What a Queue object cannot hold, by config key. */
export function queueProblems(queues: readonly QueueConfig[]): KeyProblem[] {
  const out: KeyProblem[] = [];
  queues.forEach((q, i) => {
    const at = `scheduler.volcano.queues[${i}]`;
    if (!DNS_NAME.test(q.name) || q.name.length > 253) out.push({ key: `${at}.name`, message: `expected a lower-case DNS name (a-z, 0-9, '-', '.'), found ${JSON.stringify(q.name)}` });
    if (q.weight !== undefined && q.weight < 1) out.push({ key: `${at}.weight`, message: `expected a weight of at least 1 (Volcano rejects 0), found ${q.weight}` });
    for (const [r, v] of Object.entries(q.capability ?? {})) {
      if (typeof v === 'boolean' || !QUANTITY.test(String(v))) out.push({ key: `${at}.capability.${r}`, message: `expected a Kubernetes quantity such as 8, 500m or 16Gi, found ${JSON.stringify(v)}` });
    }
  });
  return out;
}

/** A Volcano Queue. */
export function queueManifest(q: QueueConfig): Manifest {
  const spec: Record<string, unknown> = { weight: q.weight ?? 1, reclaimable: q.reclaimable ?? true };
  if (q.capability) spec['capability'] = Object.fromEntries(Object.entries(q.capability).map(([k, v]) => [k, String(v)]));
  return { apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name: q.name }, spec };
}

/** How a job is cut into pods: one per node asked for (at least enough to fit a node's cores). */
export function podShape(job: Pick<JobSpec, 'cores' | 'nodes' | 'gpus' | 'memoryMiB'>, coresPerNode: number): { replicas: number; cpuMilli: number; memoryMiB: number; gpus: number } {
  const replicas = Math.max(1, job.nodes > 0 ? job.nodes : Math.ceil(job.cores / Math.max(1, coresPerNode)));
  return {
    replicas,
    cpuMilli: Math.max(1, Math.round((job.cores * 1000) / replicas)),
    memoryMiB: Math.max(1, Math.ceil(job.memoryMiB / replicas)),
    gpus: Math.ceil(job.gpus / replicas),
  };
}

/** Real seconds with millisecond precision, as Go's time.ParseDuration reads them. */
export function duration(realS: number): string {
  return `${Math.max(0, Math.round(realS * 1000))}ms`;
}

/** What a job's pods look like, at a time scale. */
export interface PodPlan {
  runId: string;
  job: JobSpec;
  coresPerNode: number;
  timeScale: number;
  schedulerName: string;
}

/** The pod template: requests, run time and deadline annotations, `activeDeadlineSeconds`. */
export function podTemplate(p: PodPlan): Record<string, unknown> {
  const s = podShape(p.job, p.coresPerNode);
  const requests: Record<string, string> = { cpu: `${s.cpuMilli}m`, memory: `${s.memoryMiB}Mi` };
  const limits: Record<string, string> = {};
  if (s.gpus > 0) requests['nvidia.com/gpu'] = limits['nvidia.com/gpu'] = String(s.gpus);
  const walltimeS = p.job.walltime * p.timeScale;
  const overLimit = p.job.runtime > p.job.walltime;
  const annotations: Record<string, string> = { [RUN_TIME_ANNOTATION]: duration(p.job.runtime * p.timeScale) };
  // The kubelet enforces activeDeadlineSeconds; KWOK stands in for it, so a stage of bench's does,
  // at the unrounded deadline (the field itself holds whole seconds only).
  if (overLimit) annotations[DEADLINE_ANNOTATION] = duration(walltimeS);
  return {
    metadata: { labels: { [RUN_LABEL]: p.runId, [JOB_LABEL]: String(p.job.id) }, annotations },
    spec: {
      schedulerName: p.schedulerName,
      restartPolicy: 'Never',
      activeDeadlineSeconds: Math.max(1, Math.ceil(walltimeS)),
      terminationGracePeriodSeconds: 0,
      // A job that asks for N nodes gets N distinct nodes, as SLURM's -N does; the scheduler would
      // otherwise be free to stack its pods on one node.
      ...(p.job.nodes > 1 ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { [RUN_LABEL]: p.runId, [JOB_LABEL]: String(p.job.id) } }, topologyKey: 'kubernetes.io/hostname' }] } } } : {}),
      containers: [{ name: 'job', image: 'bench.invalid/job:never-pulled', resources: Object.keys(limits).length ? { requests, limits } : { requests } }],
    },
  };
}

/** Object name of a workload job in a run. */
export function jobName(runId: string, id: number): string {
  return `j${runId}-${id}`;
}

/** A Volcano Job: one task of `replicas` pods, all of them a gang (`minAvailable`). */
export function volcanoJobManifest(p: PodPlan & { queue: string; namespace: string }): Manifest {
  const { replicas } = podShape(p.job, p.coresPerNode);
  return {
    apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job',
    metadata: { name: jobName(p.runId, p.job.id), namespace: p.namespace, labels: { [RUN_LABEL]: p.runId, [JOB_LABEL]: String(p.job.id) } },
    spec: {
      schedulerName: 'volcano', queue: p.queue, minAvailable: replicas, maxRetry: 1,
      tasks: [{ name: 'job', replicas, minAvailable: replicas, template: podTemplate({ ...p, schedulerName: 'volcano' }) }],
    },
  };
}

/** A batch/v1 Job for the stock kube-scheduler: pods start as they fit, no gang. */
export function batchJobManifest(p: PodPlan & { namespace: string }): Manifest {
  const { replicas } = podShape(p.job, p.coresPerNode);
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: jobName(p.runId, p.job.id), namespace: p.namespace, labels: { [RUN_LABEL]: p.runId, [JOB_LABEL]: String(p.job.id) } },
    spec: { parallelism: replicas, completions: replicas, backoffLimit: 0, template: podTemplate({ ...p, schedulerName: 'default-scheduler' }) },
  };
}
