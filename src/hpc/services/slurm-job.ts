/**
 * One SLURM job of bench's over SSH on the head host: submit (script on stdin), poll its state
 * with squeue, cancel it (only by its own id), and read or remove its files on its node.
 */
import { join } from 'node:path';
import type { Host } from '../backends/types.js';
import { isNeverRunsReason, isTerminalState, parseSqueueLines, SQUEUE_ARGV } from '../backends/slurm/squeue.js';
import { parseSbatchJobId } from '../backends/slurm/sbatch.js';
import { pause, type Remote } from '../remote/remote.js';
import { clientFilesGlob, jobFiles, type JobRole } from './job-script.js';
import { ownerComment, recordServiceCluster } from './job-owner.js';

export interface JobStatus {
  state: string;
  /** The node it runs (or ran) on; empty while pending. */
  node: string;
  reason: string;
}

/** A job failure a user can act on; the message carries the job's own output where there is one. */
export class ServiceJobError extends Error {
  override name = 'ServiceJobError';
}

/**
 * Submits the script with sbatch; the job id. The job carries its owner in its comment (this
 * project and process) and the cluster is recorded in the project's cache first, so `bench gc`
 * can find the job if this process dies before it ends (job-owner.ts). bench runs with the
 * project folder as its working directory (cli/main.ts), hence the default.
 */
export async function submitJob(remote: Remote, argv: string[], script: string, projectRoot = process.cwd()): Promise<number> {
  recordServiceCluster(join(projectRoot, 'cache'), remote.cluster);
  const r = await remote.exec(remote.head, [...argv, `--comment=${ownerComment(projectRoot)}`], 60_000, script);
  const id = r.code === 0 ? parseSbatchJobId(r.stdout) : undefined;
  if (id === undefined) throw new ServiceJobError(`sbatch refused the job (exit ${r.code ?? r.signal ?? '?'}): ${`${r.stderr}\n${r.stdout}`.trim()}`);
  return id;
}

/** The job's state from squeue, or undefined once slurmctld has forgotten it. */
export async function jobStatus(remote: Remote, id: number): Promise<JobStatus | undefined> {
  const out = await remote.must(remote.head, [...SQUEUE_ARGV, '-j', String(id)], 'squeue');
  const job = parseSqueueLines(out).find((j) => j.slurmId === id);
  return job && { state: job.state, node: job.nodeList === '(null)' ? '' : job.nodeList.trim(), reason: job.reason };
}

/**
 * Polls until `done(status)` holds, the job ends, it can never start, or the deadline passes
 * (then the last status is returned and the caller decides). Polls every 0.25 s, doubling to 2 s.
 */
export async function waitForJob(remote: Remote, id: number, done: (s: JobStatus) => boolean, deadline: number): Promise<JobStatus | undefined> {
  let interval = 250;
  let last: JobStatus | undefined;
  for (;;) {
    last = await jobStatus(remote, id);
    if (!last || done(last) || isTerminalState(last.state) || (last.state === 'PENDING' && isNeverRunsReason(last.reason))) return last;
    if (Date.now() >= deadline) return last;
    await pause(Math.min(interval, Math.max(0, deadline - Date.now())), remote.signal);
    interval = Math.min(interval * 2, 2000);
  }
}

/** Cancels this one job (never any other) and waits briefly for it to leave RUNNING. */
export async function cancelJob(remote: Remote, id: number): Promise<void> {
  await remote.exec(remote.head, ['scancel', String(id)], 30_000);
  await waitForJob(remote, id, (s) => isTerminalState(s.state), Date.now() + 30_000);
}

/** The host of a SLURM node name (bench names hosts as SLURM does). */
export function hostOfNode(hosts: readonly Host[], node: string): Host | undefined {
  return hosts.find((h) => h.name === node);
}

/** The last `maxBytes` of the job's output on its node ('' when there is none). */
export async function readJobOutput(remote: Remote, host: Host, role: JobRole, token: string | undefined, id: number, maxBytes = 1 << 20): Promise<string> {
  const { output } = jobFiles(role, token, id);
  const r = await remote.exec(host, ['tail', '-c', String(maxBytes), output], 30_000);
  return r.code === 0 ? r.stdout : '';
}

/** Removes the job's output and scratch dir on its node. */
export async function removeJobFiles(remote: Remote, host: Host, role: JobRole, token: string | undefined, id: number): Promise<void> {
  const { output, dir } = jobFiles(role, token, id);
  await remote.exec(host, ['rm', '-rf', output, dir], 30_000);
}

/**
 * Removes the files of every client job of the service with this token on each compute host: a
 * client job killed with its run (kill -9) leaves its own, and only the service's teardown is left
 * to know them.
 */
export async function removeClientFiles(remote: Remote, token: string): Promise<void> {
  const glob = clientFilesGlob(token);
  await Promise.all(remote.computes.map((h) => remote.exec(h, ['sh', '-c', `rm -rf ${glob}`], 30_000)));
}
