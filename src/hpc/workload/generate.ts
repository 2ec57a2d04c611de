/**
 * Seeded synthetic workloads (`kind: generated`). For a seed the job list is always the same.
 *
 * - arrivals: Poisson process, inter-arrival times exponential with mean `arrival.mean_interarrival_s`
 * - cores: a power of two between `cores.min` and `cores.max`, exponent uniform (`log2_uniform`)
 * - GPUs: with probability `gpus_per_job.probability` a job asks for 1..`max` GPUs (uniform), else 0
 * - runtime: lognormal with `runtime_s.median` and shape `runtime_s.sigma`, at least 1 s, capped at `max`
 * - walltime: runtime × a factor uniform in `walltime.overestimate_factor` [min, max], rounded up
 *   to whole minutes — users overestimate, as in real logs
 * - users: `user00`..`userNN`, chosen with Zipf-like weights 1/(i+1)
 * - memory: cores × `memory_mib_per_core`; nodes: 0 (the scheduler packs the cores)
 */
import type { JobSpec } from './job.js';
import { createRandom, exponential, log2Uniform, lognormal, zipfIndex } from './random.js';

export interface GeneratedWorkload {
  kind: 'generated';
  jobs: number;
  users: number;
  arrival: { process?: string; mean_interarrival_s: number };
  cores: { dist?: string; min: number; max: number };
  gpus_per_job?: { probability: number; max: number };
  runtime_s: { dist?: string; median: number; sigma: number; max: number };
  walltime: { overestimate_factor: { min: number; max: number } };
  memory_mib_per_core?: number;
}

export function generateJobs(w: GeneratedWorkload, seed: number): JobSpec[] {
  const rand = createRandom(seed);
  const jobs: JobSpec[] = [];
  let t = 0;
  const width = String(Math.max(1, w.users - 1)).length;
  for (let id = 1; id <= w.jobs; id++) {
    t += exponential(rand, w.arrival.mean_interarrival_s);
    const cores = log2Uniform(rand, w.cores.min, w.cores.max);
    const g = w.gpus_per_job;
    const gpus = g && g.max > 0 && rand() < g.probability ? 1 + Math.floor(rand() * g.max) : 0;
    const runtime = Math.max(1, Math.min(w.runtime_s.max, Math.round(lognormal(rand, w.runtime_s.median, w.runtime_s.sigma))));
    const f = w.walltime.overestimate_factor;
    const walltime = Math.ceil((runtime * (f.min + rand() * (f.max - f.min))) / 60) * 60;
    const user = `user${String(zipfIndex(rand, w.users)).padStart(width, '0')}`;
    jobs.push({ id, user, submit: Math.round(t * 1000) / 1000, cores, nodes: 0, gpus, memoryMiB: cores * (w.memory_mib_per_core ?? 1024), runtime, walltime });
  }
  return jobs;
}
