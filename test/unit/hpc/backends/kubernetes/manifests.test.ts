/**
 * Every manifest bench sends, checked offline: Volcano Jobs and Queues against Volcano v1.14.1's
 * CRD schemas (the version tools/kubernetes builds), made strict the way the API server prunes
 * (a field the schema does not declare would be dropped silently, so here it is an error), and
 * pods and batch/v1 Jobs against Kubernetes' own strict JSON schemas.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  batchJobManifest, DEADLINE_ANNOTATION, nodeManifest, podShape, podTemplate, queueManifest, queueProblems, RUN_TIME_ANNOTATION, volcanoJobManifest,
} from '../../../../../src/hpc/backends/kubernetes/manifests.js';
import type { JobSpec } from '../../../../../src/hpc/workload/job.js';

const root = resolve(import.meta.dirname, '../../../../..');
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

/** What the API server keeps of an object: declared properties only, unless the schema preserves unknown fields. */
function pruningStrict(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(pruningStrict);
  if (!s || typeof s !== 'object') return s;
  const o = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, ps]) => [p, pruningStrict(ps)])) : pruningStrict(v)]));
  if (o['properties'] && o['additionalProperties'] === undefined && !o['x-kubernetes-preserve-unknown-fields']) o['additionalProperties'] = false;
  return o;
}

function crdValidator(file: string): ValidateFunction {
  const crd = parse(readFileSync(join(root, 'tools/kubernetes/crds/v1.14.1', file), 'utf8')) as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Record<string, unknown> } }> } };
  const v = crd.spec.versions[0];
  if (!v) throw new Error(`${file}: no version`);
  const schema = pruningStrict(v.schema.openAPIV3Schema) as Record<string, unknown>;
  // metadata is the API server's ObjectMeta, not described by the CRD.
  (schema['properties'] as Record<string, unknown>)['metadata'] = { type: 'object' };
  return ajv.compile(schema);
}

function k8sValidator(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(root, 'test/fixtures/kubernetes', file), 'utf8')) as Record<string, unknown>;
  delete schema['$schema'];
  return ajv.compile(schema);
}

const vcJob = crdValidator('batch.volcano.sh_jobs.yaml');
const vcQueue = crdValidator('scheduling.volcano.sh_queues.yaml');
const pod = k8sValidator('pod-v1.json');
const batchJob = k8sValidator('job-batch-v1.json');

function expectValid(validate: ValidateFunction, m: unknown): void {
  const ok = validate(m);
  expect(ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`)).toEqual([]);
}

const job = (over: Partial<JobSpec>): JobSpec => ({ id: 1, user: 'u', submit: 0, cores: 2, nodes: 1, gpus: 0, memoryMiB: 512, runtime: 100, walltime: 200, ...over });
const WORKLOAD: JobSpec[] = [
  job({ id: 1 }),
  job({ id: 2, cores: 8, nodes: 4 }),
  job({ id: 3, gpus: 2, nodes: 2, cores: 4 }),
  job({ id: 4, runtime: 500, walltime: 120 }),
  job({ id: 5, nodes: 0, cores: 12 }),
];
const plan = (j: JobSpec) => ({ runId: 'abc123', job: j, coresPerNode: 4, timeScale: 0.01, namespace: 'default' });

describe('Volcano Job manifests', () => {
  it('validate against Volcano v1.14.1 jobs CRD: one task, replicas = nodes, gang minAvailable = replicas', () => {
    for (const j of WORKLOAD) {
      const m = volcanoJobManifest({ ...plan(j), queue: 'default', schedulerName: 'volcano' });
      expectValid(vcJob, m);
      const spec = m['spec'] as { minAvailable: number; queue: string; tasks: Array<{ replicas: number }> };
      expect(spec.tasks).toHaveLength(1);
      expect(spec.minAvailable).toBe(spec.tasks[0]?.replicas);
      expect(spec.tasks[0]?.replicas).toBe(j.nodes || 3);
      expect(spec.queue).toBe('default');
    }
  });

  it('a field Volcano does not declare, or a mistyped one, fails (the check can fail)', () => {
    const m = volcanoJobManifest({ ...plan(WORKLOAD[1] as JobSpec), queue: 'default', schedulerName: 'volcano' });
    expect(vcJob({ ...m, spec: { ...(m['spec'] as object), minAvailabel: 2 } })).toBe(false);
    expect(vcJob({ ...m, spec: { ...(m['spec'] as object), minAvailable: 'two' } })).toBe(false);
  });
});

describe('pods and batch/v1 Jobs', () => {
  it('every pod template is a valid Pod with per-pod requests, run time and deadline', () => {
    for (const j of WORKLOAD) {
      const t = podTemplate({ ...plan(j), schedulerName: 'volcano' }) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      expectValid(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${j.id}`, ...t.metadata }, spec: t.spec });
      const s = podShape(j, 4);
      const res = (t.spec['containers'] as Array<{ resources: { requests: Record<string, string> } }>)[0]?.resources.requests;
      expect(res?.['cpu']).toBe(`${s.cpuMilli}m`);
      expect(s.cpuMilli * s.replicas).toBe(j.cores * 1000);
      if (j.gpus) expect(Number(res?.['nvidia.com/gpu']) * s.replicas).toBe(j.gpus);
      const ann = t.metadata['annotations'] as Record<string, string>;
      expect(ann[RUN_TIME_ANNOTATION]).toBe(`${Math.round(j.runtime * 0.01 * 1000)}ms`);
      expect(ann[DEADLINE_ANNOTATION] !== undefined).toBe(j.runtime > j.walltime);
      expect(t.spec['activeDeadlineSeconds']).toBe(Math.max(1, Math.ceil(j.walltime * 0.01)));
    }
  });

  it('batch/v1 Jobs for kube-scheduler validate against the Kubernetes schema', () => {
    for (const j of WORKLOAD) expectValid(batchJob, batchJobManifest({ ...plan(j), schedulerName: 'default-scheduler' }));
    const bad = batchJobManifest({ ...plan(job({})), schedulerName: 'default-scheduler' });
    expect(batchJob({ ...bad, spec: { ...(bad['spec'] as object), parallelizm: 2 } })).toBe(false);
  });
});

describe('Queues and Nodes', () => {
  it('queues from the config validate against the queues CRD', () => {
    const conf = parse(readFileSync(join(root, 'conf/scheduler/kubernetes.yaml'), 'utf8')) as { volcano: { queues: Array<{ name: string }> } };
    for (const q of [...conf.volcano.queues, { name: 'big', weight: 4, reclaimable: false, capability: { cpu: 8, memory: '16Gi', 'nvidia.com/gpu': 2 } }]) {
      expect(queueProblems([q])).toEqual([]);
      expectValid(vcQueue, queueManifest(q));
    }
  });

  it('values a Queue cannot hold are named by their config key', () => {
    const p = queueProblems([{ name: 'Bad_Name', weight: 0, capability: { cpu: 'lots', memory: true } }]);
    expect(p.map((x) => x.key)).toEqual(['scheduler.volcano.queues[0].name', 'scheduler.volcano.queues[0].weight', 'scheduler.volcano.queues[0].capability.cpu', 'scheduler.volcano.queues[0].capability.memory']);
  });

  it('nodes carry the declared size; GPUs only where there are some', () => {
    const n = nodeManifest({ name: 'c1', cpus: 8, memoryMiB: 16384, gpus: 2 });
    expect((n['status'] as { capacity: Record<string, string> }).capacity).toEqual({ cpu: '8', memory: '16384Mi', pods: '110', 'nvidia.com/gpu': '2' });
    expect(Object.keys((nodeManifest({ name: 'c2', cpus: 1, memoryMiB: 1, gpus: 0 })['status'] as { capacity: object }).capacity)).not.toContain('nvidia.com/gpu');
  });
});
