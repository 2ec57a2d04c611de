/** Job records from pod status, stages for KWOK, and Prometheus sums. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kwokStages } from '../../../../../src/hpc/backends/kubernetes/kwok-stages.js';
import { DEADLINE_ANNOTATION } from '../../../../../src/hpc/backends/kubernetes/manifests.js';
import { buildRecords, jobDone, podView, type JobView, type PodView } from '../../../../../src/hpc/backends/kubernetes/records.js';
import { promSum } from '../../../../../src/hpc/backends/kubernetes/scrape.js';
import type { JobSpec } from '../../../../../src/hpc/workload/job.js';

const root = resolve(import.meta.dirname, '../../../../..');
const spec = (id: number, over: Partial<JobSpec> = {}): JobSpec => ({ id, user: `u${id}`, submit: 100 * id, cores: 2, nodes: 2, gpus: 0, memoryMiB: 64, runtime: 500, walltime: 1000, ...over });
const pod = (jobId: number, n: number, over: Partial<PodView>): PodView => ({ name: `p${jobId}-${n}`, jobId, phase: 'Succeeded', node: `c${n}`, ...over });
const view = (created: number, pods: PodView[]): JobView => ({ created, pods: new Map(pods.map((p) => [p.name, p])) });

describe('records from pods', () => {
  const T = 1_800_000_000;
  const specs = [spec(1), spec(2), spec(3, { runtime: 3000, walltime: 1000 }), spec(4)];
  const views = new Map<number, JobView>([
    // gang of two: starts when the second pod runs
    [1, view(T, [pod(1, 1, { started: T + 1, finished: T + 6 }), pod(1, 2, { started: T + 2, finished: T + 7 })])],
    [2, view(T + 1, [pod(2, 1, { started: T + 2, finished: T + 7 }), pod(2, 2, { started: T + 2, finished: T + 7 })])],
    [3, view(T + 2, [pod(3, 1, { phase: 'Failed', reason: 'DeadlineExceeded', started: T + 3, finished: T + 13 }), pod(3, 2, { phase: 'Failed', reason: 'DeadlineExceeded', started: T + 3, finished: T + 13 })])],
    [4, { created: T + 3, pods: new Map() }],
  ]);
  const records = buildRecords(specs, views, { timeScale: 0.01, replicas: (s) => s.nodes });

  it('puts times on the workload clock: submit = creation, start = whole gang running, end = last pod ended', () => {
    expect(records[0]).toMatchObject({ id: 1, submit: 100, start: 300, end: 800, nodes: 2, state: 'completed' });
    expect(records[1]).toMatchObject({ submit: 200, start: 300, end: 800 });
  });
  it('maps DeadlineExceeded to timeout and a job that never ran to cancelled', () => {
    expect(records[2]).toMatchObject({ state: 'timeout', start: 400, end: 1400 });
    expect(records[3]).toMatchObject({ state: 'cancelled', nodes: 0, start: records[3]?.submit, end: records[3]?.submit });
  });
  it('a job ends when all its pods ended, not when some did', () => {
    expect(jobDone(view(T, [pod(1, 1, {}), pod(1, 2, { phase: 'Running' })]), 2)).toBe(false);
    expect(jobDone(view(T, [pod(1, 1, {}), pod(1, 2, {})]), 2)).toBe(true);
    expect(jobDone({ rejected: 'HTTP 422', pods: new Map() }, 2)).toBe(true);
  });
  it('reads a pod KWOK ended at its deadline', () => {
    const v = podView({ metadata: { name: 'x', labels: { 'bench/job-id': '7' } }, spec: { nodeName: 'c1' }, status: { phase: 'Failed', reason: 'DeadlineExceeded', startTime: '2027-01-15T08:00:01Z', containerStatuses: [{ state: { terminated: { finishedAt: '2027-01-15T08:00:05Z', reason: 'DeadlineExceeded' } } }] } }, 'bench/job-id');
    expect(v).toEqual({ name: 'x', jobId: 7, phase: 'Failed', reason: 'DeadlineExceeded', node: 'c1', started: Date.parse('2027-01-15T08:00:01Z') / 1000, finished: Date.parse('2027-01-15T08:00:05Z') / 1000 });
  });
});

describe('KWOK stages', () => {
  it('pod-complete leaves pods with a deadline to the pod-deadline stage (KWOK picks one stage at random when two match)', () => {
    const stages = parseAllDocuments(kwokStages(join(root, 'tools/kubernetes/config/kwok-stages.yaml'))).map((d) => d.toJS() as { metadata: { name: string }; spec: { selector: { matchExpressions: Array<{ key: string; operator: string }> } } });
    const byName = new Map(stages.map((s) => [s.metadata.name, s]));
    expect([...byName.keys()]).toEqual(['node-initialize', 'node-heartbeat-with-lease', 'pod-ready', 'pod-complete', 'pod-delete', 'pod-deadline']);
    const key = `.metadata.annotations["${DEADLINE_ANNOTATION}"]`;
    expect(byName.get('pod-complete')?.spec.selector.matchExpressions).toContainEqual({ key, operator: 'DoesNotExist' });
    expect(byName.get('pod-deadline')?.spec.selector.matchExpressions).toContainEqual({ key, operator: 'Exists' });
  });
});

describe('Prometheus text', () => {
  it('sums a metric over its label sets and ignores longer names', () => {
    const text = ['# HELP x', 'volcano_schedule_attempts_total{result="scheduled"} 5', 'volcano_schedule_attempts_total{result="error"} 2', 'volcano_schedule_attempts_total_other 9', 'apiserver_request_duration_seconds_sum{verb="GET",le="+Inf"} 1.5e-1'].join('\n');
    expect(promSum(text, 'volcano_schedule_attempts_total')).toBe(7);
    expect(promSum(text, 'apiserver_request_duration_seconds_sum')).toBeCloseTo(0.15);
    expect(promSum(text, 'absent')).toBeUndefined();
  });
});
