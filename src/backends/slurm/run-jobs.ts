/**
 * Replays jobs on a running SLURM: each job is submitted with sbatch at its time-scaled arrival
 * (jobs due together go in one SSH command), squeue is polled, and jobs that leave the queue are
 * looked up in a completion source (slurmctld's completion log, read incrementally, or sacct,
 * or squeue's own record of finished jobs). A job gone from squeue is never assumed failed: it
 * is waited for in the source, and only a long absence from both is an error.
 */
import type { Logger } from '../../graph/task-def.js';
import { shellCommand } from '../../ssh/quote.js';
import type { JobSpec } from '../../workload/job.js';
import type { CompletionSource } from './completions.js';
import type { JobcompRecord } from './jobcomp.js';
import type { Submission } from './records.js';
import { pause, type Remote } from './remote.js';
import { parseSbatchJobId, sbatchArgv, type SubmitOptions } from './sbatch.js';
import { isNeverRunsReason, isTerminalState, parseSqueueLines, SQUEUE_ARGV, type QueuedJob } from './squeue.js';

export interface RunJobsOptions {
  submit: SubmitOptions;
  log: Logger;
  pollIntervalMs?: number;
  /** How long a job may be absent from both squeue and the completion log (default 60 s). */
  missingGraceMs?: number;
  /** At most this many sbatch calls in one SSH command (default 100). */
  batchSize?: number;
  /** Where finished jobs are looked up. */
  source: CompletionSource;
  /** squeue command polled for the queue (default `SQUEUE_ARGV`: every job of the cluster). */
  squeueArgv?: readonly string[];
  /** Called with each SLURM job id as soon as sbatch accepts it. */
  onSubmitted?: (slurmId: number) => void;
}

export interface RunJobsResult {
  submissions: Map<number, Submission>;
  completions: Map<number, JobcompRecord>;
  /** Real time spent in sbatch batches, per job, milliseconds. */
  submitMsPerJob: number;
  /** Latest a batch went out after its first job's due time, seconds. */
  maxSubmitLagS: number;
  /** Submit time (epoch seconds, UTC) of each job as squeue first showed it. */
  squeueSubmits: Map<number, number>;
  /** Jobs cancelled because they could never start, with SLURM's pending reason; recorded as failed. */
  unrunnable: Map<number, string>;
}

/** One shell script running sbatch for each job; prints `<spec id>|<exit>|<stdout>|<stderr>` per job. */
export function submitScript(jobs: readonly JobSpec[], o: SubmitOptions): string {
  const lines = ['e=$(mktemp)'];
  for (const j of jobs) {
    lines.push(`out=$(${shellCommand(sbatchArgv(j, o))} 2>"$e"); rc=$?`);
    lines.push(`printf '%s|%s|%s|%s\\n' ${j.id} "$rc" "$(printf %s "$out" | tr '\\n' ' ')" "$(tr '\\n' ' ' < "$e")"`);
  }
  lines.push('rm -f "$e"');
  return lines.join('\n');
}

/** The per-job lines of `submitScript` output. */
export function parseSubmitOutput(text: string): Map<number, Submission> {
  const out = new Map<number, Submission>();
  for (const line of text.split('\n')) {
    const [id, rc, stdout, ...err] = line.split('|');
    if (!id || rc === undefined || stdout === undefined || !/^\d+$/.test(id)) continue;
    const slurmId = rc === '0' ? parseSbatchJobId(stdout) : undefined;
    out.set(Number(id), slurmId !== undefined ? { kind: 'submitted', slurmId } : { kind: 'rejected', message: `${err.join('|').trim() || stdout.trim()} (exit ${rc})` });
  }
  return out;
}

class Collector {
  readonly completions = new Map<number, JobcompRecord>();
  readonly squeueSubmits = new Map<number, number>();
  readonly unrunnable = new Map<number, string>();
  private readonly missingSince = new Map<number, number>();

  constructor(private readonly remote: Remote, private readonly o: { source: CompletionSource; graceMs: number; squeueArgv: readonly string[] }) {}

  /** Cancels jobs SLURM keeps pending for a reason that never clears; they end as failed. A failed scancel is retried next poll. */
  private async cancelUnrunnable(jobs: readonly QueuedJob[]): Promise<void> {
    const fresh = jobs.filter((j) => !this.unrunnable.has(j.slurmId));
    if (!fresh.length) return;
    const r = await this.remote.exec(this.remote.head, ['scancel', ...fresh.map((j) => String(j.slurmId))]);
    if (r.code === 0) for (const j of fresh) this.unrunnable.set(j.slurmId, j.reason);
  }

  /** One poll: squeue, then the source when any job has left the queue. Throws for jobs missing too long. */
  async poll(submitted: ReadonlyMap<number, number>): Promise<void> {
    const asked = Date.now();
    const q = await this.remote.exec(this.remote.head, [...this.o.squeueArgv]);
    if (q.code !== 0) return;
    const rows = parseSqueueLines(q.stdout);
    for (const j of rows) if (j.submit !== undefined && !this.squeueSubmits.has(j.slurmId)) this.squeueSubmits.set(j.slurmId, j.submit);
    await this.cancelUnrunnable(rows.filter((j) => submitted.has(j.slurmId) && j.state === 'PENDING' && isNeverRunsReason(j.reason)));
    const queued = new Map(rows.map((j) => [j.slurmId, j.state]));
    const left = [...submitted].filter(([id, at]) => !this.completions.has(id) && at < asked && (!queued.has(id) || isTerminalState(queued.get(id) ?? '')));
    if (left.length === 0) return;
    for (const rec of await this.o.source.collect(left.map(([id]) => id))) {
      if (submitted.has(rec.slurmId)) this.completions.set(rec.slurmId, this.unrunnable.has(rec.slurmId) ? { ...rec, state: 'failed' } : rec);
    }
    for (const [id] of left) {
      if (this.completions.has(id)) {
        this.missingSince.delete(id);
        continue;
      }
      // Terminal in squeue but not yet recorded is ordinary; absent from both is not, for long.
      if (queued.has(id)) continue;
      const since = this.missingSince.get(id) ?? asked;
      this.missingSince.set(id, since);
      if (asked - since > this.o.graceMs) throw new Error(`SLURM job ${id} left squeue ${this.o.source.where} (waited ${this.o.graceMs / 1000} s)`);
    }
  }
}

/** Submits `specs` on the workload's schedule and waits until every submitted job has its completion record. */
export async function runJobs(remote: Remote, specs: readonly JobSpec[], o: RunJobsOptions): Promise<RunJobsResult> {
  const jobs = [...specs].sort((a, b) => a.submit - b.submit || a.id - b.id);
  const submissions = new Map<number, Submission>();
  const submittedAt = new Map<number, number>();
  const collector = new Collector(remote, { source: o.source, graceMs: o.missingGraceMs ?? 60_000, squeueArgv: o.squeueArgv ?? SQUEUE_ARGV });
  const first = jobs[0]?.submit ?? 0;
  const t0 = Date.now();
  const dueAt = (j: JobSpec) => t0 + (j.submit - first) * o.submit.timeScale * 1000;
  let submitMs = 0;
  let maxLag = 0;
  let allSubmitted = false;
  // Either loop failing stops the other, so a failed run returns instead of polling forever.
  const stop = new AbortController();
  const signal = AbortSignal.any([remote.signal, stop.signal]);
  const stopOnError = (e: unknown) => {
    stop.abort();
    throw e;
  };

  const submitting = (async () => {
    let i = 0;
    while (i < jobs.length) {
      await pause(dueAt(jobs[i] as JobSpec) - Date.now(), signal);
      const now = Date.now();
      const batch: JobSpec[] = [];
      // Timers round to whole milliseconds: a job due within the next one is due now.
      while (i < jobs.length && dueAt(jobs[i] as JobSpec) < now + 1 && batch.length < (o.batchSize ?? 100)) batch.push(jobs[i++] as JobSpec);
      if (batch.length === 0) continue;
      maxLag = Math.max(maxLag, (now - dueAt(batch[0] as JobSpec)) / 1000);
      const r = await remote.exec(remote.head, { script: submitScript(batch, o.submit) }, 120_000);
      submitMs += Date.now() - now;
      const results = parseSubmitOutput(r.stdout);
      for (const j of batch) {
        const s = results.get(j.id) ?? { kind: 'rejected', message: `no answer from sbatch: ${r.stderr.trim() || `exit ${String(r.code)}`}` };
        submissions.set(j.id, s);
        if (s.kind === 'submitted') {
          submittedAt.set(s.slurmId, Date.now());
          o.onSubmitted?.(s.slurmId);
        } else o.log.warn(`slurm: job ${j.id} rejected by sbatch: ${s.message}`);
      }
    }
    allSubmitted = true;
  })().catch(stopOnError);

  const polling = (async () => {
    for (;;) {
      await pause(o.pollIntervalMs ?? 500, signal);
      await collector.poll(submittedAt);
      const done = [...submittedAt.keys()].every((id) => collector.completions.has(id));
      if (allSubmitted && done) return;
    }
  })().catch(stopOnError);

  await Promise.all([submitting, polling]);
  return { submissions, completions: collector.completions, submitMsPerJob: jobs.length ? submitMs / jobs.length : 0, maxSubmitLagS: maxLag, squeueSubmits: collector.squeueSubmits, unrunnable: collector.unrunnable };
}
