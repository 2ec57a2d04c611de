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

export function priorityOrder(cfg: PriorityConfig, jobs: readonly JobSpec[], totalCores: number) {
  const usage = new Map<string, number>();
  const users = new Set(jobs.map((j) => j.user)).size || 1;
  let totalUsage = 0;
  const byId = (a: number, b: number) => a - b;
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
      const prio = new Map<number, number>();
      for (const j of queue) {
        const s = jobs[j] as JobSpec;
        const age = Math.min(1, (t - s.submit) / maxAge);
        const size = cfg.favorSmall ? 1 - s.cores / totalCores : s.cores / totalCores;
        const share = totalUsage > 0 ? (usage.get(s.user) ?? 0) / totalUsage : 0;
        const fair = 2 ** (-share * users);
        prio.set(j, (cfg.weightAge ?? 0) * age + (cfg.weightSize ?? 0) * size + (cfg.weightFairshare ?? 0) * fair);
      }
      return queue.sort((a, b) => (prio.get(b) as number) - (prio.get(a) as number) || byId(a, b));
    },
  };
}
