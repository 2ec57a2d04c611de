/**
 * Completion records from SLURM accounting (`sacct`, when the cluster runs slurmdbd). sacct
 * prints times in the local time of the process that runs it, so bench asks for epoch seconds
 * (`SLURM_TIME_FORMAT=%s`) with `TZ=UTC` as a second guard: no time zone needs guessing.
 */
import { jobStateFromSlurm, type JobcompRecord } from './jobcomp.js';

/** Fields asked of sacct, in this order. */
export const SACCT_FIELDS = ['JobID', 'JobName', 'State', 'Submit', 'Start', 'End', 'NNodes', 'AllocCPUS', 'NodeList', 'ExitCode'] as const;

/** At most this many job ids per sacct call (the argument list of one command stays short). */
export const SACCT_BATCH = 500;

/** sacct argv for the allocations (`-X`, no steps) of `ids`, parsable, no header, epoch times. */
export function sacctArgv(ids: readonly number[]): string[] {
  return ['env', 'TZ=UTC', 'SLURM_TIME_FORMAT=%s', 'sacct', '-n', '-P', '-X', '-j', ids.join(','), `--format=${SACCT_FIELDS.join(',')}`];
}

/** Probes whether sacct answers (slurmdbd reachable); exits non-zero without accounting. */
export const SACCT_PROBE_ARGV: readonly string[] = ['sacct', '-n', '-P', '-X', '-S', 'now', '-o', 'JobID'];

function epoch(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined;
}

/** States a job does not leave: anything but these means the job is still queued or running. */
const NOT_DONE = /^(PENDING|RUNNING|REQUEUED|RESIZING|SUSPENDED|REQUEUE_HOLD|REQUEUE_FED|SIGNALING|STAGE_OUT|COMPLETING|CONFIGURING)\b/i;

/**
 * Records of finished jobs in `sacct -P` output (header line optional); jobs still pending or
 * running, array and heterogeneous job components (`7_1`, `9+0`) and malformed lines are left out.
 * `CANCELLED by 0` is a cancellation; a job that never ran has NNodes 0 or NodeList `None assigned`.
 */
export function parseSacct(text: string): JobcompRecord[] {
  const out: JobcompRecord[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split('|');
    if (parts.length < SACCT_FIELDS.length) continue;
    const [id, name, state, submit, start, end, nnodes, cpus, nodeList, exitCode] = parts as [string, string, string, string, string, string, string, string, string, string];
    if (!/^\d+$/.test(id) || !state || NOT_DONE.test(state)) continue;
    const ran = !/^(None assigned|\(null\))$/.test(nodeList) && Number(nnodes) > 0;
    out.push({
      slurmId: Number(id), name, slurmState: state, state: jobStateFromSlurm(state),
      submit: epoch(submit), start: epoch(start), end: epoch(end),
      nodeList, nodeCount: ran ? Number(nnodes) : 0, procCount: Number(cpus) || 0, exitCode,
    });
  }
  return out;
}
