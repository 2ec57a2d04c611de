/**
 * Job records from what SLURM recorded. Times come from slurmctld's completion log (one-second
 * resolution) and are put on the workload's clock: seconds since the first submission, divided
 * by the time scale, plus the first job's workload arrival time, so a record lines up with its
 * spec (and with the simulator's records) whatever the scale.
 */
import type { JobRecord, JobSpec } from '../../workload/job.js';
import type { JobcompRecord } from './jobcomp.js';

/** What happened to one spec at submission. */
export type Submission = { kind: 'submitted'; slurmId: number } | { kind: 'rejected'; message: string };

export interface RecordInputs {
  specs: readonly JobSpec[];
  submissions: ReadonlyMap<number, Submission>;
  completions: ReadonlyMap<number, JobcompRecord>;
  /** Real seconds per workload second. */
  timeScale: number;
}

/** Maps SLURM epoch seconds onto the workload clock. */
export function workloadClock(inputs: RecordInputs): (epoch: number) => number {
  const slurmIds = [...inputs.submissions.values()].flatMap((s) => (s.kind === 'submitted' ? [s.slurmId] : []));
  const submits = slurmIds.map((id) => inputs.completions.get(id)?.submit).filter((t): t is number => t !== undefined);
  const slurmOrigin = submits.length ? Math.min(...submits) : 0;
  const workloadOrigin = inputs.specs.length ? Math.min(...inputs.specs.map((s) => s.submit)) : 0;
  return (epoch) => workloadOrigin + (epoch - slurmOrigin) / inputs.timeScale;
}

/**
 * One record per spec, in spec order. A rejected submission is a `failed` job that never ran;
 * a submitted job must have its completion line (the caller waits for it). Cores are what SLURM
 * allocated (ProcCnt), which is what the job held.
 */
export function buildJobRecords(inputs: RecordInputs): JobRecord[] {
  const clock = workloadClock(inputs);
  const records = inputs.specs.map((spec): JobRecord & { order: number; ran: boolean } => {
    const sub = inputs.submissions.get(spec.id);
    const done = sub?.kind === 'submitted' ? inputs.completions.get(sub.slurmId) : undefined;
    if (!sub || sub.kind === 'rejected' || !done) {
      if (sub?.kind === 'submitted') throw new Error(`job ${spec.id} (SLURM ${sub.slurmId}) has no completion record`);
      return { id: spec.id, user: spec.user, submit: spec.submit, start: spec.submit, end: spec.submit, cores: spec.cores, nodes: 0, gpus: spec.gpus, state: 'failed', backfilled: false, order: Infinity, ran: false };
    }
    const submit = clock(done.submit ?? done.start ?? 0);
    const start = done.start !== undefined ? Math.max(submit, clock(done.start)) : submit;
    const end = done.end !== undefined ? Math.max(start, clock(done.end)) : start;
    return {
      id: spec.id, user: spec.user, submit, start, end, cores: done.procCount > 0 ? done.procCount : spec.cores,
      nodes: done.nodeCount, gpus: spec.gpus, state: done.state, backfilled: false, order: done.slurmId, ran: done.nodeCount > 0,
    };
  });
  markBackfilled(records);
  return records.map(({ order: _order, ran: _ran, ...r }) => r);
}

/**
 * A job is backfilled when it started while a job submitted before it (lower SLURM id) was
 * still waiting, i.e. that earlier job started later. Jobs that never ran do not count.
 */
export function markBackfilled(records: Array<JobRecord & { order: number; ran: boolean }>): void {
  const ran = records.filter((r) => r.ran).sort((a, b) => a.order - b.order);
  let latestEarlierStart = -Infinity;
  for (const r of ran) {
    r.backfilled = r.start < latestEarlierStart;
    latestEarlierStart = Math.max(latestEarlierStart, r.start);
  }
}
