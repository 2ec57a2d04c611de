/**
 * What squeue says about jobs slurmctld still holds (pending, running, and finished ones for
 * MinJobAge seconds). Two readers of the same shape: a compact `-o` format for polling, and
 * `squeue --json` (22.05, OpenAPI v0.0.38: times as epoch seconds).
 */
import { slurmTimeToEpoch } from './slurm-time.js';

export interface QueuedJob {
  slurmId: number;
  name: string;
  /** SLURM's state word: PENDING, RUNNING, COMPLETING, COMPLETED, TIMEOUT... */
  state: string;
  /** Epoch seconds. For a pending job `start` is SLURM's estimate, or undefined. */
  submit: number | undefined;
  start: number | undefined;
  nodeCount: number;
  nodeList: string;
  reason: string;
}

/** States a job does not leave: it is done, and its jobcomp line is (or is about to be) written. */
const TERMINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'OUT_OF_MEMORY']);

export function isTerminalState(state: string): boolean {
  return TERMINAL.has(state.toUpperCase());
}

/**
 * Pending reasons that do not clear by waiting: the job asks for more than its partition, QOS
 * or association allows per job (SLURM queues it anyway unless `EnforcePartLimits` is set), or
 * it can never be satisfied. A job pending for one of these would hold a run up forever.
 */
const NEVER_RUNS = /^(Partition(Node|Time)Limit|PartitionConfig|BadConstraints|Invalid(Account|QOS)|DependencyNeverSatisfied|(QOS|Assoc)Max\w*PerJob\w*)$/;

export function isNeverRunsReason(reason: string): boolean {
  return NEVER_RUNS.test(reason.trim());
}

const FORMAT = '%i|%j|%T|%V|%S|%D|%r|%N';

/** squeue argv for polling; TZ=UTC makes the printed times UTC whatever the host's zone. */
export const SQUEUE_ARGV: readonly string[] = ['env', 'TZ=UTC', 'squeue', '-h', '-t', 'all', '-o', FORMAT];

/** Lines printed by `SQUEUE_ARGV`; lines that are not jobs (e.g. array ranges) are skipped. */
export function parseSqueueLines(text: string): QueuedJob[] {
  const out: QueuedJob[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split('|');
    if (parts.length < 8) continue;
    const [id, name, state, submit, start, count, reason] = parts as [string, string, string, string, string, string, string];
    if (!/^\d+$/.test(id)) continue;
    out.push({
      slurmId: Number(id), name, state, submit: slurmTimeToEpoch(submit), start: slurmTimeToEpoch(start),
      nodeCount: Number(count) || 0, reason, nodeList: parts.slice(7).join('|'),
    });
  }
  return out;
}

interface JsonJob {
  job_id?: unknown;
  name?: unknown;
  job_state?: unknown;
  submit_time?: unknown;
  start_time?: unknown;
  node_count?: unknown;
  nodes?: unknown;
  state_reason?: unknown;
}

const epoch = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);

/** `squeue --json` output of 22.05; throws on text that is not that JSON (a bug or a version change). */
export function parseSqueueJson(text: string): QueuedJob[] {
  const doc = JSON.parse(text) as { jobs?: JsonJob[] };
  if (!Array.isArray(doc.jobs)) throw new Error('squeue --json: no "jobs" array in the output');
  return doc.jobs.map((j) => ({
    slurmId: Number(j.job_id),
    name: String(j.name ?? ''),
    state: String(j.job_state ?? ''),
    submit: epoch(j.submit_time),
    start: epoch(j.start_time),
    nodeCount: Number(j.node_count ?? 0) || 0,
    nodeList: String(j.nodes ?? ''),
    reason: String(j.state_reason ?? ''),
  }));
}
