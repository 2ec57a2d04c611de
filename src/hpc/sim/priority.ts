/**
 * Queue orders. `fcfs`: arrival order. `sjf`: shortest requested walltime first. `multifactor`
 * (after SLURM's priority/multifactor): priority = w_age · min(1, age / max_age) + w_size · size
 * + w_fairshare · 2^(−usage/share), where size = cores / cluster cores (inverted when small jobs
 * are favoured), usage = the user's share of core-seconds started so far and share = 1 / users.
 */
import type { JobSpec } from '../workload/job.js';

export interface PriorityConfig {
  order: 'fcfs' | 'sjf' | 'multifactor';
  weightAge?: number;
  weightSize?: number;
  weightFairshare?: number;
  /** Seconds after which the age factor is 1. */
  maxAge?: number;
  favorSmall?: boolean;
}

/**
 * For orders that do not change while a job waits (fcfs, sjf): every job index, in queue order.
 * Undefined for multifactor, whose age and fair-share factors move, so it is sorted per event.
 */
export function staticRanks(cfg: PriorityConfig, jobs: readonly JobSpec[]): Int32Array | undefined {
  if (cfg.order === 'multifactor') return undefined;
  const ranked = arrivalRanks(jobs.length);
  if (cfg.order === 'sjf') ranked.sort((a, b) => (jobs[a] as JobSpec).walltime - (jobs[b] as JobSpec).walltime || a - b);
  return ranked;
}

/** Job indices 0..n−1: the arrival order, jobs being indexed by arrival. */
export function arrivalRanks(n: number): Int32Array {
  const ranked = new Int32Array(n);
  for (let i = 0; i < n; i++) ranked[i] = i;
  return ranked;
}

export function priorityOrder(cfg: PriorityConfig, jobs: readonly JobSpec[], totalCores: number) {
  const usage = new Map<string, number>();
  const users = cfg.order === 'multifactor' ? new Set(jobs.map((j) => j.user)).size || 1 : 1;
  let totalUsage = 0;
  const byId = (a: number, b: number) => a - b;
  // Per job, filled for the jobs being sorted: cheaper to read in the comparator than a Map.
  const prio = new Float64Array(jobs.length);
  return {
    started(j: number, _t: number): void {
      if (cfg.order !== 'multifactor') return;
      const s = jobs[j] as JobSpec;
      const u = s.cores * Math.min(s.runtime, s.walltime);
      usage.set(s.user, (usage.get(s.user) ?? 0) + u);
      totalUsage += u;
    },
    sort(queue: number[], t: number): number[] {
      if (cfg.order === 'fcfs') return queue;
      if (cfg.order === 'sjf') return queue.sort((a, b) => (jobs[a] as JobSpec).walltime - (jobs[b] as JobSpec).walltime || byId(a, b));
      const maxAge = cfg.maxAge ?? 7 * 86400;
      for (const j of queue) {
        const s = jobs[j] as JobSpec;
        const age = Math.min(1, (t - s.submit) / maxAge);
        const size = cfg.favorSmall ? 1 - s.cores / totalCores : s.cores / totalCores;
        const share = totalUsage > 0 ? (usage.get(s.user) ?? 0) / totalUsage : 0;
        const fair = 2 ** (-share * users);
        prio[j] = (cfg.weightAge ?? 0) * age + (cfg.weightSize ?? 0) * size + (cfg.weightFairshare ?? 0) * fair;
      }
      return queue.sort((a, b) => (prio[b] as number) - (prio[a] as number) || byId(a, b));
    },
  };
}
