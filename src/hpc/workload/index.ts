/** Loads a workload config into a job list that fits the topology. */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Topology } from '../backends/types.js';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { generateJobs, type GeneratedWorkload } from './generate.js';
import type { JobSpec } from './job.js';
import { parseSwf } from './swf.js';

export interface TraceWorkload {
  kind: 'trace';
  path: string;
  skip?: number;
  limit?: number;
  time_scale?: number;
  users_from_trace?: boolean;
  /** Jobs wider than the cluster: dropped before the window is cut (default), or clamped to it. */
  too_wide?: 'drop' | 'clamp';
}

export type WorkloadConfig = GeneratedWorkload | TraceWorkload;

export interface LoadedWorkload {
  jobs: JobSpec[];
  diagnostics: Diagnostic[];
  /** Trace records dropped (runtime ≤ 0). */
  dropped: number;
  /** Jobs larger than the cluster, shrunk to its size (each also gets a warning). */
  clamped: number;
  /** Trace jobs larger than the cluster, dropped (`too_wide: drop`, the default for traces). */
  tooWide: number;
}

/**
 * Generated or trace jobs, made to fit the topology. A trace job asking for more cores than all
 * compute nodes have together is dropped before the window is cut (or clamped with
 * `too_wide: clamp`); a generated job is clamped. Either way it is counted and warned about —
 * never silently — since it could otherwise never start and would hold the queue forever.
 */
export function loadWorkload(config: WorkloadConfig, opts: { root: string; seed: number; topology: Topology }): LoadedWorkload {
  let jobs: JobSpec[];
  const diagnostics: Diagnostic[] = [];
  let dropped = 0;
  let tooWide = 0;
  const c = opts.topology.compute_nodes;
  const maxCores = c.count * c.vcpus;
  if (config.kind === 'generated') {
    jobs = generateJobs(config, opts.seed);
  } else {
    const file = isAbsolute(config.path) ? config.path : resolve(opts.root, config.path);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return { jobs: [], diagnostics: [{ severity: 'error', file, keyPath: 'workload.path', message: 'trace file not found' }], dropped: 0, clamped: 0, tooWide: 0 };
    }
    const swf = parseSwf(text, { file, ...opt('skip', config.skip), ...opt('limit', config.limit), ...opt('timeScale', config.time_scale), ...opt('usersFromTrace', config.users_from_trace), ...(config.too_wide === 'clamp' ? {} : { maxCores }) });
    diagnostics.push(...swf.diagnostics);
    if (swf.overruns) diagnostics.push({ severity: 'warning', file, message: `${swf.overruns} jobs ran past their requested time in the trace; they are killed at their limit` });
    jobs = swf.jobs;
    dropped = swf.dropped;
    tooWide = swf.tooWide;
    if (dropped) diagnostics.push({ severity: 'warning', file, message: `${dropped} trace records have no runtime or no processors and were dropped before the window was cut` });
    if (tooWide) diagnostics.push({ severity: 'warning', file, keyPath: 'workload.too_wide', message: `${tooWide} trace jobs asked for more than the ${opts.topology.name} topology's ${maxCores} cores and were dropped before the window was cut (too_wide: clamp keeps them, shrunk)` });
  }
  const maxGpus = c.count * c.gpus;
  let clamped = 0;
  for (const j of jobs) {
    if (j.cores > maxCores || j.gpus > maxGpus) {
      clamped++;
      j.cores = Math.min(j.cores, maxCores);
      j.gpus = Math.min(j.gpus, maxGpus);
    }
  }
  if (clamped) diagnostics.push({ severity: 'warning', message: `${clamped} jobs asked for more than the ${opts.topology.name} topology has (${maxCores} cores, ${maxGpus} GPUs) and were clamped to it` });
  return { jobs, diagnostics, dropped, clamped, tooWide };
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export { generateJobs } from './generate.js';
export { parseSwf } from './swf.js';
export type { JobRecord, JobSpec, JobState } from './job.js';
