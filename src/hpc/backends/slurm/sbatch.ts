/**
 * The sbatch command for one workload job, and the job id sbatch answers with. Pure: `run`
 * sends the argv over SSH. Times are scaled by the provider's `time_scale` (real seconds per
 * workload second); SLURM time limits have a granularity of one minute, so a scaled limit is
 * rounded up to whole minutes with a floor of one.
 */
import type { JobSpec } from '../../workload/job.js';

export type Payload = 'sleep' | 'stress-ng';

export interface SubmitOptions {
  /** Real seconds per workload second. */
  timeScale: number;
  payload: Payload;
  /** Send the job's memory request (`--mem`); off by default, so jobs share nodes by cores. */
  submitMemory: boolean;
  /** The select plugin understands `--gpus` (select/cons_tres): total GPUs when SLURM picks the nodes. */
  totalGpus: boolean;
  /** Submit to this partition (`--partition`); SLURM's default partition when absent. */
  partition?: string;
}

/** SLURM's time-limit granularity, real seconds. */
export const TIME_LIMIT_GRANULARITY_S = 60;

/** Job names carry the workload job id, so a record can be matched to its spec from SLURM alone. */
export const JOB_NAME_PREFIX = 'bench-';

export function jobNameFor(id: number): string {
  return `${JOB_NAME_PREFIX}${id}`;
}

/** The workload job id in a job name written by `jobNameFor`, if it is one. */
export function specIdFromName(name: string): number | undefined {
  const m = /^bench-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** `--time` in minutes for a workload walltime, or undefined when the job has none. */
export function timeLimitMinutes(walltime: number, timeScale: number): number | undefined {
  if (!(walltime > 0) || !Number.isFinite(walltime)) return undefined;
  return Math.max(1, Math.ceil((walltime * timeScale) / TIME_LIMIT_GRANULARITY_S - 1e-9));
}

/** Seconds as a `sleep` argument: millisecond precision, no exponent. */
function seconds(s: number): string {
  return String(Math.round(Math.max(0, s) * 1000) / 1000);
}

/** How long the payload runs, real seconds: stress-ng takes whole seconds, at least one. */
export function payloadSeconds(job: JobSpec, o: Pick<SubmitOptions, 'timeScale' | 'payload'>): number {
  const runtime = Math.max(0, job.runtime * o.timeScale);
  return o.payload === 'stress-ng' ? Math.max(1, Math.round(runtime)) : runtime;
}

/** How long the job should hold its allocation, real seconds: its payload, unless its time limit ends it first. */
export function expectedRunSeconds(job: JobSpec, o: Pick<SubmitOptions, 'timeScale' | 'payload'>): number {
  const minutes = timeLimitMinutes(job.walltime, o.timeScale);
  return Math.min(payloadSeconds(job, o), minutes === undefined ? Infinity : minutes * TIME_LIMIT_GRANULARITY_S);
}

/**
 * The batch script's one command. `sleep` holds the allocation without load; `stress-ng` loads
 * one CPU worker per requested core (whole seconds, at least one), on every node via srun for
 * multi-node jobs.
 */
export function payloadCommand(job: JobSpec, o: Pick<SubmitOptions, 'timeScale' | 'payload'>): string {
  const runtime = payloadSeconds(job, o);
  switch (o.payload) {
    case 'sleep':
      return `sleep ${seconds(runtime)}`;
    case 'stress-ng': {
      const timeout = runtime;
      if (job.nodes > 1) {
        const perNode = Math.max(1, Math.floor(job.cores / job.nodes));
        return `srun --ntasks=${job.nodes} --ntasks-per-node=1 stress-ng --cpu ${perNode} --timeout ${timeout}s --quiet`;
      }
      return `stress-ng --cpu ${Math.max(1, job.cores)} --timeout ${timeout}s --quiet`;
    }
    default:
      return unreachable(o.payload);
  }
}

function unreachable(x: never): never {
  throw new Error(`unexpected payload ${String(x)}`);
}

/** GPU request: per node with `--gres` when the node count is fixed, total with `--gpus` otherwise. */
function gpuArgs(job: JobSpec, o: SubmitOptions): string[] {
  if (job.gpus <= 0) return [];
  if (job.nodes > 0) return [`--gres=gpu:${Math.ceil(job.gpus / job.nodes)}`];
  return o.totalGpus ? [`--gpus=${job.gpus}`] : [`--gres=gpu:${job.gpus}`];
}

function memoryArgs(job: JobSpec, o: SubmitOptions): string[] {
  if (!o.submitMemory || !(job.memoryMiB > 0)) return [];
  if (job.nodes > 0) return [`--mem=${Math.ceil(job.memoryMiB / job.nodes)}M`];
  return [`--mem-per-cpu=${Math.ceil(job.memoryMiB / Math.max(1, job.cores))}M`];
}

/** The full sbatch argv for one job (`--parsable`, so stdout is the job id). */
export function sbatchArgv(job: JobSpec, o: SubmitOptions): string[] {
  const minutes = timeLimitMinutes(job.walltime, o.timeScale);
  return [
    'sbatch', '--parsable',
    `--job-name=${jobNameFor(job.id)}`,
    ...(o.partition !== undefined ? [`--partition=${o.partition}`] : []),
    ...(job.nodes > 0 ? [`--nodes=${job.nodes}`] : []),
    `--ntasks=${Math.max(1, job.cores, job.nodes)}`,
    ...gpuArgs(job, o),
    ...memoryArgs(job, o),
    ...(minutes !== undefined ? [`--time=${minutes}`] : []),
    '--output=/dev/null',
    `--wrap=${payloadCommand(job, o)}`,
  ];
}

/** The job id in `sbatch --parsable` output (`<id>` or `<id>;<cluster>`), or undefined. */
export function parseSbatchJobId(stdout: string): number | undefined {
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const m = /^(\d+)(?:;\S+)?$/.exec(lines[lines.length - 1] ?? '');
  return m ? Number(m[1]) : undefined;
}

/** How many jobs' scaled limits were raised to the one-minute floor (they time out later than asked). */
export function countFlooredLimits(jobs: readonly JobSpec[], timeScale: number): number {
  return jobs.filter((j) => j.walltime > 0 && j.walltime * timeScale < TIME_LIMIT_GRANULARITY_S).length;
}
