/**
 * Replays jobs on a running SLURM: each job is submitted with sbatch at its time-scaled arrival
 * (jobs due together go in one SSH command), squeue is polled on an adaptive schedule
 * (poll-interval.ts), and jobs that leave the queue are looked up in a completion source
 * (slurmctld's completion log, read incrementally, or sacct, or squeue's own record of finished
 * jobs). A job gone from squeue is never assumed failed: it
 * is waited for in the source, and only a long absence from both is an error.
 */
import type { Logger } from '../../../engine/graph/task-def.js';
import { shellCommand } from '../../remote/quote.js';
import type { JobSpec } from '../../workload/job.js';
import type { CompletionSource } from './completions.js';
import type { JobcompRecord } from './jobcomp.js';
import { estimateStartMs, PollSchedule } from './poll-interval.js';
import type { Submission } from './records.js';
import { pause, type Remote } from '../../remote/remote.js';
import { expectedRunSeconds, parseSbatchJobId, sbatchArgv, type SubmitOptions } from './sbatch.js';
import { isNeverRunsReason, isTerminalState, parseSqueueLines, SQUEUE_ARGV, type QueuedJob } from './squeue.js';

export interface RunJobsOptions {
  submit: SubmitOptions;
  log: Logger;
  /** Least rest between squeue polls (default 500 ms). */
  pollIntervalMs?: number;
  /** Longest rest between squeue polls while nothing changes (default 5 s, at least the minimum). */
  pollMaxMs?: number;
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
  /** squeue commands issued. */
  squeuePolls: number;
}

/** Rest between squeue polls when the caller does not say: the first is the old fixed interval. */
export const DEFAULT_POLL_MIN_MS = 500;
export const DEFAULT_POLL_MAX_MS = 5000;

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
  /** Jobs running at the last poll, with their estimated start (epoch ms). */
  readonly running = new Map<number, number>();
  polls = 0;
  private readonly missingSince = new Map<number, number>();
  /** Completion records read before their job's id was known (see `poll`). */
  private readonly records = new Map<number, JobcompRecord>();
  private lastQueue = '';
  private lastAsked = -Infinity;

  constructor(private readonly remote: Remote, private readonly o: { source: CompletionSource; graceMs: number; squeueArgv: readonly string[] }) {}

  /** Cancels jobs SLURM keeps pending for a reason that never clears; they end as failed. A failed scancel is retried next poll. */
  private async cancelUnrunnable(jobs: readonly QueuedJob[]): Promise<void> {
    const fresh = jobs.filter((j) => !this.unrunnable.has(j.slurmId));
    if (!fresh.length) return;
    const r = await this.remote.exec(this.remote.head, ['scancel', ...fresh.map((j) => String(j.slurmId))]);
    if (r.code === 0) for (const j of fresh) this.unrunnable.set(j.slurmId, j.reason);
  }

  /** Keeps the start estimate of each job running now; the first poll to see one running sets it. */
  private trackRunning(rows: readonly QueuedJob[], asked: number): void {
    const now = new Map(rows.filter((j) => j.state === 'RUNNING').map((j) => [j.slurmId, j.start]));
    for (const id of this.running.keys()) if (!now.has(id)) this.running.delete(id);
    for (const [id, start] of now) if (!this.running.has(id)) this.running.set(id, estimateStartMs(start, this.lastAsked, asked));
  }

  /**
   * One poll: squeue, then the source when any job has left the queue. Throws for jobs missing
   * too long. Says whether anything changed: the queue's jobs or states, or jobs awaiting records.
   */
  async poll(submitted: ReadonlyMap<number, number>): Promise<boolean> {
    const asked = Date.now();
    this.polls++;
    const q = await this.remote.exec(this.remote.head, [...this.o.squeueArgv]);
    if (q.code !== 0) return false;
    const rows = parseSqueueLines(q.stdout);
    this.trackRunning(rows, asked);
    this.lastAsked = asked;
    const queue = rows.map((j) => `${j.slurmId}:${j.state}`).sort().join(' ');
    const changed = queue !== this.lastQueue;
    this.lastQueue = queue;
    for (const j of rows) if (j.submit !== undefined && !this.squeueSubmits.has(j.slurmId)) this.squeueSubmits.set(j.slurmId, j.submit);
    await this.cancelUnrunnable(rows.filter((j) => submitted.has(j.slurmId) && j.state === 'PENDING' && isNeverRunsReason(j.reason)));
    const queued = new Map(rows.map((j) => [j.slurmId, j.state]));
    // A job squeue lists again was not gone: its grace starts afresh when it next leaves.
    for (const id of queued.keys()) this.missingSince.delete(id);
    const left = [...submitted].filter(([id, at]) => !this.completions.has(id) && at < asked && (!queued.has(id) || isTerminalState(queued.get(id) ?? '')));
    if (left.length === 0) return changed;
    // The log is read once, byte by byte: a line may belong to a job whose sbatch batch has not
    // returned yet (slow hosts), so records wait here until their job is known, never dropped.
    for (const rec of await this.o.source.collect(left.map(([id]) => id))) this.records.set(rec.slurmId, rec);
    for (const [id, rec] of this.records) {
      if (!submitted.has(id)) continue;
      this.completions.set(id, this.unrunnable.has(id) ? { ...rec, state: 'failed' } : rec);
      this.records.delete(id);
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
    return true;
  }
}

/** A sleep the submitter can cut short, so that a batch that just went out is polled for soon. */
class Alarm {
  private ring: (() => void) | undefined;

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Error('cancelled'));
      const end = (f: () => void) => () => {
        clearTimeout(t);
        signal.removeEventListener('abort', onAbort);
        this.ring = undefined;
        f();
      };
      const onAbort = end(() => reject(new Error('cancelled')));
      const t = setTimeout(end(resolve), Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
      this.ring = end(resolve);
    });
  }

  wake(): void {
    this.ring?.();
  }
}

/** Submits `specs` on the workload's schedule and waits until every submitted job has its completion record. */
export async function runJobs(remote: Remote, specs: readonly JobSpec[], o: RunJobsOptions): Promise<RunJobsResult> {
  const jobs = [...specs].sort((a, b) => a.submit - b.submit || a.id - b.id);
  const submissions = new Map<number, Submission>();
  const submittedAt = new Map<number, number>();
  const specOf = new Map<number, JobSpec>();
  const collector = new Collector(remote, { source: o.source, graceMs: o.missingGraceMs ?? 60_000, squeueArgv: o.squeueArgv ?? SQUEUE_ARGV });
  const first = jobs[0]?.submit ?? 0;
  const t0 = Date.now();
  const minMs = o.pollIntervalMs ?? DEFAULT_POLL_MIN_MS;
  const schedule = new PollSchedule({ minMs, maxMs: Math.max(minMs, o.pollMaxMs ?? DEFAULT_POLL_MAX_MS) }, t0);
  const alarm = new Alarm();
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
          specOf.set(s.slurmId, j);
          o.onSubmitted?.(s.slurmId);
        } else o.log.warn(`slurm: job ${j.id} rejected by sbatch: ${s.message}`);
      }
      schedule.reset(Date.now());
      alarm.wake();
    }
    allSubmitted = true;
  })().catch(stopOnError);

  // Another user's jobs (an unmanaged cluster) have no spec and no expected end.
  const expectedEnds = () => [...collector.running].flatMap(([id, start]) => {
    const spec = specOf.get(id);
    return spec ? [start + expectedRunSeconds(spec, o.submit) * 1000] : [];
  });
  const polling = (async () => {
    for (;;) {
      // Re-planned after every wake: a batch that went out meanwhile brings the poll forward.
      for (let at = schedule.nextAt(expectedEnds()); Date.now() < at; at = schedule.nextAt(expectedEnds())) await alarm.sleep(at - Date.now(), signal);
      const asked = Date.now();
      const changed = await collector.poll(submittedAt);
      schedule.polled(asked, Date.now(), changed);
      const done = [...submittedAt.keys()].every((id) => collector.completions.has(id));
      if (allSubmitted && done) return;
    }
  })().catch(stopOnError);

  await Promise.all([submitting, polling]);
  return { submissions, completions: collector.completions, submitMsPerJob: jobs.length ? submitMs / jobs.length : 0, maxSubmitLagS: maxLag, squeueSubmits: collector.squeueSubmits, unrunnable: collector.unrunnable, squeuePolls: collector.polls };
}
