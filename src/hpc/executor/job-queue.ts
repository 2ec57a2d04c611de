/**
 * Submits prepared job directories to SLURM and reports when each has ended. Directories that
 * become ready within `array_window_ms` of each other (up to `array_max`) go out as one job
 * array, so a wave of ready tasks costs one sbatch. A job has ended when its batch script wrote
 * `exit` (a stat on a shared filesystem; one command per poll for all live jobs over SSH);
 * squeue, asked less often, finds jobs that ended without writing it (time limit, cancelled).
 * Jobs are submitted with `--requeue`: a job whose node is lost goes back to the queue and
 * runs again from a clean result area (the batch script clears it), not as a failure.
 *
 * An array element may run several tasks in one Node process (`el-<n>.list`, `bench exec-task`
 * runs them in order): starting Node and loading `bench` costs more than a simulator task, and
 * when more tasks are ready than the cluster has free CPUs, the extra elements would only wait
 * in SLURM's queue. So an array of n tasks gets min(n, free) elements (free: the cluster's CPUs
 * from sinfo, less the elements of ours still running), at most `batchMax` tasks each. Every task
 * keeps its own job directory and `exit` file, so collection, adoption and failures stay per task.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../../engine/graph/task-def.js';
import { shellQuote } from '../remote/quote.js';
import type { Remote } from '../remote/remote.js';
import { isTerminalState } from '../backends/slurm/squeue.js';
import type { ExitLine, JobFiles } from './job-files.js';
import { ownerTag } from './orphaned-jobs.js';
import { JOB_FILES, RESULT_FILES } from './task-spec.js';

/** How a job ended, as far as the queue can tell. */
export type JobEnd =
  | { kind: 'exited'; code: number; host: string; slurmId: string }
  | { kind: 'lost'; state: string; slurmId: string }
  | { kind: 'rejected'; message: string }
  | { kind: 'cancelled' };

export interface JobRequest {
  /** The prepared job directory (spec and deps written). */
  dir: string;
  /** Fingerprint digest: the job name and comment carry it. */
  digest: string;
  cpus: number;
  /** sbatch --mem, MiB; SLURM's default when undefined. */
  memoryMiB: number | undefined;
  /** SLURM time limit, minutes; none when undefined. */
  minutes: number | undefined;
}

interface Entry extends JobRequest {
  resolve(end: JobEnd): void;
  slurmId?: string;
  goneSince?: number;
}

export interface JobQueueOptions {
  remote: Remote;
  /** Where job and batch directories live, and how they reach the hosts. */
  files: JobFiles;
  /** Command that runs `bench` on a compute host (node and the staged bin/bench.js). */
  bench: string[];
  /** Where batch scripts are built (local; their SLURM output is written beside them on the cluster). */
  batchDir: string;
  partition?: string | null | undefined;
  account?: string | null | undefined;
  arrayMax: number;
  arrayWindowMs: number;
  /** Tasks one array element runs in one process, at most (1: one task per element). */
  batchMax: number;
  log: Logger;
}

/** How long a job may be out of squeue (or terminal there) without its `exit` file. */
const GONE_GRACE_MS = 20_000;
/** Exit files are polled this often: a stat each on a shared filesystem, one SSH command over SFTP. */
const EXIT_POLL_MS = { shared: 200, sftp: 1_000 };
const SQUEUE_EVERY_MS = 2_000;

export class JobQueue {
  private pending: Entry[] = [];
  private readonly live = new Set<Entry>();
  private flushTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private lastSqueue = 0;
  private batches = 0;
  private closed = false;
  /** The cluster's CPUs (sinfo, asked once); null when it did not say: then one task per element. */
  private clusterCpus: Promise<number | null> | undefined;
  /** The sbatch calls under way; what becomes ready meanwhile waits for them and goes out as one array. */
  private submitting: Promise<void> | undefined;
  /** What submission cost: sbatch calls (one per array), tasks submitted, ms spent in sbatch. */
  readonly stats = { arrays: 0, elements: 0, tasks: 0, sbatchMs: 0, pushMs: 0, pollMs: 0 };

  constructor(private readonly o: JobQueueOptions) {}

  /**
   * Queues a job; resolves when it has ended (or was rejected or cancelled). With `slurmId` the
   * job is one a killed coordinator submitted and SLURM still runs: it is watched, not submitted.
   */
  submit(req: JobRequest, signal: AbortSignal, slurmId?: string): Promise<JobEnd> {
    return new Promise((resolve) => {
      const entry: Entry = { ...req, resolve };
      const onAbort = (): void => void this.cancel(entry);
      signal.addEventListener('abort', onAbort, { once: true });
      entry.resolve = (end) => {
        signal.removeEventListener('abort', onAbort);
        this.live.delete(entry);
        resolve(end);
      };
      if (slurmId) {
        entry.slurmId = slurmId;
        this.live.add(entry);
        this.pollSoon();
        return;
      }
      this.pending.push(entry);
      if (this.pending.length >= this.o.arrayMax) this.flushSoon(0);
      else this.flushSoon(this.o.arrayWindowMs);
    });
  }

  /** Cancels every job not yet ended; for the end of a run. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.pollTimer);
    for (const e of this.pending.splice(0)) e.resolve({ kind: 'cancelled' });
    await Promise.all([...this.live].map((e) => this.cancel(e)));
  }

  private async cancel(e: Entry): Promise<void> {
    this.pending = this.pending.filter((p) => p !== e);
    e.resolve({ kind: 'cancelled' });
    // An element running other tasks still wanted goes on; the last of its tasks cancelled stops it.
    const shared = [...this.live].some((o) => o.slurmId === e.slurmId);
    if (e.slurmId && !shared) await this.o.remote.exec(this.o.remote.head, ['scancel', e.slurmId]).catch(() => undefined);
  }

  private flushSoon(ms: number): void {
    if (this.flushTimer && ms > 0) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, ms);
  }

  /**
   * Sends what is pending, one array per (cpus, time limit). One flush at a time: tasks become
   * ready in a trickle (each as its dependency is collected), and an sbatch takes tens of ms on
   * a busy head, so what arrives during one goes out together right after it.
   */
  private flush(): Promise<void> {
    if (this.submitting) return this.submitting;
    this.submitting = this.sendPending().finally(() => {
      this.submitting = undefined;
      if (this.pending.length && !this.closed) this.flushSoon(0);
    });
    return this.submitting;
  }

  private async sendPending(): Promise<void> {
    const groups = new Map<string, Entry[]>();
    for (const e of this.pending.splice(0)) {
      const key = `${e.cpus}/${e.memoryMiB ?? ''}/${e.minutes ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    const arrays: Entry[][] = [];
    for (const g of groups.values()) for (let i = 0; i < g.length; i += this.o.arrayMax) arrays.push(g.slice(i, i + this.o.arrayMax));
    await Promise.all(arrays.map((g) => this.submitArray(g)));
  }

  /** Tasks per array element: as many elements as free CPUs take (at least one), at most batchMax tasks each. */
  private async perElement(n: number, cpus: number): Promise<number> {
    if (this.o.batchMax <= 1 || n <= 1) return 1;
    // %C is allocated/idle/other/total CPUs per partition; the largest stands for where jobs go.
    this.clusterCpus ??= this.o.remote.exec(this.o.remote.head, ['sinfo', '-h', '-o', '%C', ...(this.o.partition ? ['-p', this.o.partition] : [])])
      .then((r) => (r.code === 0 ? Math.max(0, ...r.stdout.split('\n').map((l) => Number(l.trim().split('/')[3]) || 0)) || null : null))
      .catch(() => null);
    const total = await this.clusterCpus;
    if (total === null) return 1;
    const running = new Set([...this.live].map((e) => e.slurmId)).size;
    const free = Math.max(1, Math.floor(total / cpus) - running);
    return Math.min(this.o.batchMax, Math.ceil(n / free));
  }

  private async submitArray(entries: Entry[]): Promise<void> {
    const first = entries[0];
    if (!first || this.closed) return;
    const per = await this.perElement(entries.length, first.cpus);
    const elements: Entry[][] = [];
    for (let i = 0; i < entries.length; i += per) elements.push(entries.slice(i, i + per));
    const dir = join(this.o.batchDir, `b${process.pid}-${Date.now()}-${this.batches++}`);
    const files = this.o.files;
    const on = (p: string): string => files.toCluster(p);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dirs'), entries.map((e) => `${on(e.dir)}\n`).join(''));
    elements.forEach((el, i) => writeFileSync(join(dir, `el-${i}.list`), el.map((e) => `${on(e.dir)}\n`).join('')));
    writeFileSync(join(dir, 'job.sh'), batchScript(on(dir), this.o.bench, files.kind === 'sftp'), { mode: 0o755 });
    const t0 = Date.now();
    try {
      await files.push([dir, ...entries.map((e) => e.dir)]);
    } catch (err) {
      for (const e of entries) e.resolve({ kind: 'rejected', message: `sending the job files failed: ${(err as Error).message}` });
      return;
    }
    this.stats.pushMs += Date.now() - t0;
    const argv = [
      'sbatch', '--parsable', '--requeue', `--job-name=bench-x-${first.digest.slice(0, 16)}`,
      `--comment=${arrayComment(dir, entries.map((e) => e.digest))}`,
      `--array=0-${elements.length - 1}`, `--cpus-per-task=${first.cpus}`, `--chdir=${on(dir)}`, `--output=${on(dir)}/slurm-%A_%a.out`,
      ...(first.memoryMiB !== undefined ? [`--mem=${first.memoryMiB}M`] : []),
      // The element's tasks run one after another: its limit is theirs summed.
      ...(first.minutes !== undefined ? [`--time=${first.minutes * per}`] : []),
      ...(this.o.partition ? [`--partition=${this.o.partition}`] : []), ...(this.o.account ? [`--account=${this.o.account}`] : []),
      on(join(dir, 'job.sh')),
    ];
    const t1 = Date.now();
    const r = await this.o.remote.exec(this.o.remote.head, argv).catch((e: unknown) => ({ code: -1, stdout: '', stderr: String(e) }));
    this.stats.sbatchMs += Date.now() - t1;
    const id = /^(\d+)/.exec(r.stdout.trim())?.[1];
    if (r.code !== 0 || !id) {
      for (const e of entries) e.resolve({ kind: 'rejected', message: `sbatch failed (exit ${String(r.code)}): ${r.stderr.trim() || r.stdout.trim()}` });
      return;
    }
    this.o.log.debug(`executor: SLURM job array ${id} (${entries.length} tasks in ${elements.length} elements)`);
    this.stats.arrays++;
    this.stats.elements += elements.length;
    this.stats.tasks += entries.length;
    elements.forEach((el, i) => {
      for (const e of el) {
        e.slurmId = `${id}_${i}`;
        // A coordinator killed from here on leaves the job findable by the next one.
        writeFileSync(join(e.dir, JOB_FILES.slurmId), e.slurmId);
        this.live.add(e);
      }
    });
    this.pollSoon();
  }

  private pollSoon(): void {
    if (this.pollTimer || this.closed) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll().finally(() => {
        if (this.live.size) this.pollSoon();
      });
    }, EXIT_POLL_MS[this.o.files.kind]);
  }

  private async poll(): Promise<void> {
    const t0 = Date.now();
    const ended = await this.o.files.exits([...this.live].map((e) => e.dir)).catch((err: unknown) => {
      this.o.log.debug(`executor: reading exit files: ${String(err)}`);
      return new Map<string, ExitLine>();
    });
    this.stats.pollMs += Date.now() - t0;
    for (const e of [...this.live]) {
      const x = ended.get(e.dir);
      if (x) e.resolve({ kind: 'exited', ...x, slurmId: e.slurmId ?? '' });
    }
    if (!this.live.size || Date.now() - this.lastSqueue < SQUEUE_EVERY_MS) return;
    this.lastSqueue = Date.now();
    const arrays = [...new Set([...this.live].map((e) => (e.slurmId ?? '').split('_')[0]))].join(',');
    const r = await this.o.remote.exec(this.o.remote.head, ['squeue', '-h', '-r', '-t', 'all', '-o', '%i|%T', '-j', arrays]).catch(() => undefined);
    // squeue refuses ids it has forgotten ("Invalid job id"): that is an empty queue, not a failure.
    if (!r || (r.code !== 0 && !/Invalid job id/i.test(r.stderr))) return;
    const states = new Map(r.stdout.split('\n').map((l) => l.trim().split('|')).filter((p) => p.length === 2).map(([i, s]) => [i as string, s as string]));
    const now = Date.now();
    for (const e of [...this.live]) {
      const state = states.get(e.slurmId ?? '');
      if (state !== undefined && !isTerminalState(state)) {
        delete e.goneSince;
        continue;
      }
      e.goneSince ??= now;
      // The exit file is written just before the job ends; give the filesystem time to show it.
      if (now - e.goneSince > GONE_GRACE_MS) e.resolve({ kind: 'lost', state: state ?? 'gone from squeue', slurmId: e.slurmId ?? '' });
    }
  }
}

/**
 * The array's comment: the coordinator that submitted it (`<host>:<pid>`, so `bench gc` can tell
 * our orphans from anyone else's jobs), its batch and, where they fit SLURM's limit on the field,
 * every task's fingerprint digest (12 characters each, in array order); the batch's `dirs` file
 * always has them.
 */
export function arrayComment(batchDir: string, digests: string[], owner = ownerTag()): string {
  const head = `bench-x ${owner} ${basename(batchDir)}`;
  const all = `${head} ${digests.map((d) => d.slice(0, 12)).join(',')}`;
  return all.length <= COMMENT_MAX ? all : head;
}

/** Stays below SLURM's limit on string fields of a submission (sbatch refuses longer ones). */
const COMMENT_MAX = 1000;

/**
 * The array's batch script: element n runs `bench exec-task <batch dir>/el-<n>.list`, which runs
 * each job directory on the list and writes its `exit` when that task is done (with `pack`, files
 * over SFTP, after packing its results into `results.tar`, so collecting is one download). A
 * directory the process left without `exit` (it crashed, was killed, or the element was
 * cancelled) gets the element's status and stderr here, and no manifest: it failed.
 */
export function batchScript(batchDir: string, bench: string[], pack = false): string {
  const cmd = bench.map(shellQuote).join(' ');
  const results = RESULT_FILES.join(' ');
  return [
    '#!/bin/sh',
    `l=${shellQuote(batchDir)}/el-$SLURM_ARRAY_TASK_ID.list`,
    `${pack ? 'BENCH_EXEC_PACK=1 ' : ''}${cmd} exec-task "$l" >"$l.stdout" 2>"$l.stderr"`,
    'st=$?',
    // A task left without its exit file did not finish, whatever the process's status.
    'rc=$st && [ "$rc" = 0 ] && rc=1',
    'while IFS= read -r d; do',
    // Not a finished task's directory: the coordinator may be deleting it (see exec-task's .done).
    `  grep -qxF "$d" "$l.done" 2>/dev/null && continue`,
    `  [ -e "$d/${JOB_FILES.exit}" ] && continue`,
    `  rm -f "$d/${JOB_FILES.manifest}"`,
    `  cat "$l.stderr" >>"$d/${JOB_FILES.stderr}"`,
    ...(pack ? [`  (cd "$d" && f= && for p in ${results}; do if [ -e "$p" ]; then f="$f $p"; fi; done && tar -cf ${JOB_FILES.results}.tmp $f && mv ${JOB_FILES.results}.tmp ${JOB_FILES.results})`] : []),
    `  printf '%s %s\\n' "$rc" "$(hostname)" >"$d/${JOB_FILES.exit}.tmp" && mv "$d/${JOB_FILES.exit}.tmp" "$d/${JOB_FILES.exit}"`,
    `done <"$l"`,
    'exit "$st"',
    '',
  ].join('\n');
}
