/**
 * The SLURM side of a service or client job, pure: its batch script (preamble + the kind's
 * commands) and its sbatch argv. Every job keeps its files under
 * `/tmp/bench-<role>-<token>-<job id>` (`.out` for its output, `.d/` for scratch) on the node it
 * ran on, so bench can read and remove them there whether or not the nodes share a filesystem.
 * The token is the service's random tag (kept in its ledger handle; its clients use it too): the
 * hosts of netns clusters share this machine's /tmp and SLURM numbers jobs from 1 on every
 * cluster, so job ids alone would collide between two clusters up at once, or with files a
 * previous cluster left, and one run could read or delete another's.
 */
import { shellCommand, shellQuote } from '../remote/quote.js';
import { containerRunLines, type ContainerRun } from './container-run.js';
import type { Resources } from './recipe-fields.js';

export type JobRole = 'svc' | 'client';

/** SLURM job names of bench's service and client jobs: `bench-svc-<recipe>`, `bench-client-<recipe>`. */
export function serviceJobName(role: JobRole, recipe: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(recipe)) throw new Error(`not a recipe name: ${recipe}`);
  return `bench-${role}-${recipe}`;
}

const TOKEN = /^[a-z0-9]{4,32}$/;

/** The files' common stem up to the job id: `/tmp/bench-<role>-<token>-`. */
function jobStem(role: JobRole, token: string): string {
  if (!TOKEN.test(token)) throw new Error(`not a job file token: ${token}`);
  return `/tmp/bench-${role}-${token}-`;
}

/**
 * The job's output file and scratch dir on its node. `token` undefined: a handle from before
 * tokens (its files have the job id alone).
 */
export function jobFiles(role: JobRole, token: string | undefined, jobId: number): { output: string; dir: string } {
  const stem = token === undefined ? `/tmp/bench-${role}-` : jobStem(role, token);
  return { output: `${stem}${jobId}.out`, dir: `${stem}${jobId}.d` };
}

/** A shell glob of every client job's files of the service with this token (the token is a bare word). */
export function clientFilesGlob(token: string): string {
  return `${jobStem('client', token)}*`;
}

/**
 * The batch script: a scratch dir in `$D` as the working directory, the recipe's environment
 * (names validated, values quoted), then the kind's commands, on the node itself or, with
 * `container`, inside a podman container (see container-run.ts).
 */
export function renderJobScript(o: { role: JobRole; token: string; label: string; env: Record<string, string>; body: string; container?: ContainerRun }): string {
  const exports = Object.entries(o.env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`not an environment variable name: ${k}`);
    return `export ${k}=${shellQuote(v)}`;
  });
  return [
    '#!/bin/sh',
    `# ${o.label.replace(/[\r\n]/g, ' ')} (written by bench)`,
    `D=${jobStem(o.role, o.token)}$SLURM_JOB_ID.d`,
    'mkdir -p "$D" && cd "$D" || exit 1',
    ...exports,
    ...(o.container ? containerRunLines(o.container, o.role, Object.keys(o.env), o.body) : [o.body]),
  ].join('\n');
}

/** sbatch argv (the script goes to its stdin); `--parsable`, so stdout is the job id. */
export function jobSbatchArgv(o: { role: JobRole; token: string; name: string; resources: Resources }): string[] {
  const r = o.resources;
  return [
    'sbatch', '--parsable', `--job-name=${o.name}`, '--nodes=1', '--ntasks=1', `--cpus-per-task=${r.cores}`,
    `--mem=${r.memory_mib}M`, `--time=${r.time_min}`, `--output=${jobStem(o.role, o.token)}%j.out`,
  ];
}

/** The argv as one command line, for logs. */
export function describeArgv(argv: readonly string[]): string {
  return shellCommand(argv);
}
