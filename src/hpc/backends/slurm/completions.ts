/**
 * Where a run finds the outcome of a job that left the queue, one source per way a cluster can
 * tell it: slurmctld's `jobcomp/filetxt` log (bench's own clusters, and existing ones whose log
 * the login host can read), accounting (`sacct`, clusters with slurmdbd), or, on clusters with
 * neither, squeue itself while it still lists finished jobs (`MinJobAge`).
 */
import { shellQuote } from '../../remote/quote.js';
import { parseJobcomp, jobStateFromSlurm, type JobcompRecord } from './jobcomp.js';
import type { Remote } from '../../remote/remote.js';
import { parseSacct, SACCT_BATCH, sacctArgv } from './sacct.js';
import { isTerminalState } from './squeue.js';

/** How a run collects completions; JSON, kept in the scheduler handle. */
export type CollectionMethod =
  | { kind: 'jobcomp'; path: string; timeZone: string }
  | { kind: 'sacct' }
  | { kind: 'squeue'; minJobAgeS: number };

export interface CompletionSource {
  readonly method: CollectionMethod;
  /** Completes "SLURM job N left squeue ..." when a job never shows up in the source. */
  readonly where: string;
  /** Records of those of `ids` that have ended (and perhaps of others). */
  collect(ids: readonly number[]): Promise<JobcompRecord[]>;
}

/** Prints the byte offset the text starts at, then the file from `offset` (from 0 when the file shrank: rotated). */
export function readFromScript(path: string, offset: number): string {
  const f = shellQuote(path);
  return [
    `test -r ${f} || exit 0`,
    `s=$(stat -c %s ${f})`,
    `if [ "$s" -lt ${offset} ]; then echo 0; cat ${f}; else echo ${offset}; tail -c +${offset + 1} ${f}; fi`,
  ].join('\n');
}

/** The jobcomp/filetxt log, read incrementally: only whole lines, each byte once. */
export class JobcompSource implements CompletionSource {
  readonly where: string;
  constructor(private readonly remote: Remote, readonly method: Extract<CollectionMethod, { kind: 'jobcomp' }>, private offset = 0) {
    this.where = `but has no line in ${method.path}`;
  }

  /** Skips what the log holds now: on a shared cluster it is other people's jobs. */
  async skipExisting(): Promise<void> {
    const r = await this.remote.exec(this.remote.head, ['stat', '-c', '%s', this.method.path]);
    this.offset = r.code === 0 ? Number(r.stdout.trim()) || 0 : 0;
  }

  async collect(): Promise<JobcompRecord[]> {
    const r = await this.remote.exec(this.remote.head, { script: readFromScript(this.method.path, this.offset) });
    const nl = r.stdout.indexOf('\n');
    if (r.code !== 0 || nl < 0) return [];
    const base = Number(r.stdout.slice(0, nl));
    const text = r.stdout.slice(nl + 1);
    const end = text.lastIndexOf('\n');
    if (end < 0) return [];
    const whole = text.slice(0, end + 1);
    this.offset = base + Buffer.byteLength(whole);
    return [...parseJobcomp(whole, this.method.timeZone).values()];
  }
}

/** Accounting: sacct for the jobs asked about, in batches. A failing call is retried at the next poll. */
export class SacctSource implements CompletionSource {
  readonly method = { kind: 'sacct' } as const;
  readonly where = 'but sacct has no record of it ending';
  constructor(private readonly remote: Remote) {}

  async collect(ids: readonly number[]): Promise<JobcompRecord[]> {
    const out: JobcompRecord[] = [];
    for (let i = 0; i < ids.length; i += SACCT_BATCH) {
      const r = await this.remote.exec(this.remote.head, sacctArgv(ids.slice(i, i + SACCT_BATCH)));
      if (r.code === 0) out.push(...parseSacct(r.stdout));
    }
    return out;
  }
}

/** squeue fields for a finished job: id, name, state, submit, start, end, nodes, CPUs, node list. */
const ENDED_FORMAT = '%i|%j|%T|%V|%S|%e|%D|%C|%N';

export function squeueEndedArgv(ids: readonly number[]): string[] {
  return ['env', 'TZ=UTC', 'SLURM_TIME_FORMAT=%s', 'squeue', '-h', '-t', 'all', '-j', ids.join(','), '-o', ENDED_FORMAT];
}

/**
 * Finished jobs in `squeueEndedArgv` output. squeue prints the requested node count for a job
 * that never ran; an empty node list says it did not.
 */
export function parseSqueueEnded(text: string): JobcompRecord[] {
  const out: JobcompRecord[] = [];
  const epoch = (s: string) => (/^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined);
  for (const line of text.split('\n')) {
    const parts = line.trim().split('|');
    if (parts.length < 9) continue;
    const [id, name, state, submit, start, end, nodes, cpus] = parts as [string, string, string, string, string, string, string, string];
    const nodeList = parts.slice(8).join('|');
    if (!/^\d+$/.test(id) || !isTerminalState(state)) continue;
    out.push({
      slurmId: Number(id), name, slurmState: state, state: jobStateFromSlurm(state), submit: epoch(submit), start: epoch(start), end: epoch(end),
      nodeList, nodeCount: nodeList ? Number(nodes) || 0 : 0, procCount: Number(cpus) || 0, exitCode: '',
    });
  }
  return out;
}

/** squeue while it still lists finished jobs: the fallback for clusters without accounting or a readable log. */
export class SqueueSource implements CompletionSource {
  readonly where: string;
  constructor(private readonly remote: Remote, readonly method: Extract<CollectionMethod, { kind: 'squeue' }>) {
    this.where = `before bench saw it end (squeue keeps finished jobs for MinJobAge=${method.minJobAgeS} s; the cluster has no sacct and no completion log bench can read)`;
  }

  async collect(ids: readonly number[]): Promise<JobcompRecord[]> {
    if (!ids.length) return [];
    const r = await this.remote.exec(this.remote.head, squeueEndedArgv(ids));
    return r.code === 0 ? parseSqueueEnded(r.stdout) : [];
  }
}

export function completionSource(remote: Remote, method: CollectionMethod): CompletionSource {
  switch (method.kind) {
    case 'jobcomp': return new JobcompSource(remote, method);
    case 'sacct': return new SacctSource(remote);
    case 'squeue': return new SqueueSource(remote, method);
    default: return unreachable(method);
  }
}

function unreachable(x: never): never {
  throw new Error(`unexpected collection method ${JSON.stringify(x)}`);
}

/**
 * Seconds to subtract from jobcomp times so they agree with squeue's (printed in UTC): nonzero
 * when slurmctld writes its log in another zone than the one assumed. The median difference is
 * rounded to a quarter hour (every zone offset is a multiple of it); none when they agree.
 */
export function zoneShiftSeconds(completions: ReadonlyMap<number, JobcompRecord>, squeueSubmits: ReadonlyMap<number, number>): number {
  const d = [...squeueSubmits].flatMap(([id, t]) => {
    const s = completions.get(id)?.submit;
    return s === undefined ? [] : [s - t];
  }).sort((a, b) => a - b);
  if (!d.length) return 0;
  const median = d[Math.floor(d.length / 2)] as number;
  return Math.round(median / 900) * 900;
}

/** Corrects jobcomp times in place by `zoneShiftSeconds`; returns the shift (0: they agreed). */
export function shiftJobcompTimes(r: { completions: Map<number, JobcompRecord>; squeueSubmits: ReadonlyMap<number, number> }): number {
  const shift = zoneShiftSeconds(r.completions, r.squeueSubmits);
  if (!shift) return 0;
  const move = (t: number | undefined) => (t === undefined ? undefined : t - shift);
  for (const [id, c] of r.completions) r.completions.set(id, { ...c, submit: move(c.submit), start: move(c.start), end: move(c.end) });
  return shift;
}
