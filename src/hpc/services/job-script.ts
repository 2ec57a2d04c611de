/**
 * The SLURM side of a service or client job, pure: its batch script (preamble + the kind's
 * commands) and its sbatch argv. Every job keeps its files under `/tmp/bench-<role>-<job id>`
 * (`.out` for its output, `.d/` for scratch) on the node it ran on, so bench can read and remove
 * them there whether or not the nodes share a filesystem.
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

/** The job's output file and scratch dir on its node. */
export function jobFiles(role: JobRole, jobId: number): { output: string; dir: string } {
  return { output: `/tmp/bench-${role}-${jobId}.out`, dir: `/tmp/bench-${role}-${jobId}.d` };
}

/**
 * The batch script: a scratch dir in `$D` as the working directory, the recipe's environment
 * (names validated, values quoted), then the kind's commands, on the node itself or, with
 * `container`, inside a podman container (see container-run.ts).
 */
export function renderJobScript(o: { role: JobRole; label: string; env: Record<string, string>; body: string; container?: ContainerRun }): string {
  const exports = Object.entries(o.env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`not an environment variable name: ${k}`);
    return `export ${k}=${shellQuote(v)}`;
  });
  return [
    '#!/bin/sh',
    `# ${o.label.replace(/[\r\n]/g, ' ')} (written by bench)`,
    `D=/tmp/bench-${o.role}-$SLURM_JOB_ID.d`,
    'mkdir -p "$D" && cd "$D" || exit 1',
    ...exports,
    ...(o.container ? containerRunLines(o.container, o.role, Object.keys(o.env), o.body) : [o.body]),
  ].join('\n');
}

/** sbatch argv (the script goes to its stdin); `--parsable`, so stdout is the job id. */
export function jobSbatchArgv(o: { role: JobRole; name: string; resources: Resources }): string[] {
  const r = o.resources;
  return [
    'sbatch', '--parsable', `--job-name=${o.name}`, '--nodes=1', '--ntasks=1', `--cpus-per-task=${r.cores}`,
    `--mem=${r.memory_mib}M`, `--time=${r.time_min}`, `--output=/tmp/bench-${o.role}-%j.out`,
  ];
}

/** The argv as one command line, for logs. */
export function describeArgv(argv: readonly string[]): string {
  return shellCommand(argv);
}
