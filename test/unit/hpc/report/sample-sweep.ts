/** A small hand-made sweep for report tests: 3 topologies x 3 schedulers, one point missing a metric. */
import type { Objective } from '../../../../src/hpc/pareto/rank-points.js';
import type { SweepMetricsRow } from '../../../../src/hpc/results/metrics-table.js';

export const OBJECTIVES: Objective[] = [
  { metric: 'makespan', direction: 'min' },
  { metric: 'bsld_mean', direction: 'min' },
  { metric: 'utilization', direction: 'max' },
  { metric: 'fairness', direction: 'max' },
];

export function sampleSweep(): SweepMetricsRow[] {
  const out: SweepMetricsRow[] = [];
  const topologies = ['small', 'medium', 'large'];
  const schedulers = ['slurm', 'flux', 'kubernetes'];
  topologies.forEach((topology, t) => {
    schedulers.forEach((scheduler, s) => {
      const k = t * 3 + s;
      out.push({
        pointId: `${topology}-${scheduler}-mixed`,
        configHash: `${k}`.repeat(8) + 'abcdef0123456789',
        reps: 3,
        config: { topology, scheduler, workload: 'mixed' },
        metrics: {
          makespan: { mean: 4000 - 900 * t + 37 * s * s, ci95: 40 + 5 * s },
          bsld_mean: { mean: 2 + ((k * 7) % 5) * 0.6, ci95: 0.15 },
          utilization: { mean: 0.55 + 0.04 * ((k * 5) % 9), ci95: 0.02 },
          fairness: { mean: 0.6 + 0.035 * ((k * 4) % 9), ci95: 0.03 },
        },
      });
    });
  });
  // A run that produced no fairness figure must stay visible, not vanish.
  out.push({ pointId: 'large-volcano-mixed', configHash: 'ffffffff00000000', reps: 3, config: { topology: 'large', scheduler: 'volcano', workload: 'mixed' }, metrics: { makespan: { mean: 2500, ci95: 30 }, bsld_mean: { mean: 3, ci95: 0.1 }, utilization: { mean: 0.7, ci95: 0.02 } } });
  return out;
}

export const DEFINITIONS: Record<string, string> = {
  makespan: 'max(end) - min(submit), seconds',
  bsld_mean: 'mean over finished jobs of max(1, (w + r) / max(r, 10 s))',
  utilization: 'sum(r * cores) / (total_cores * makespan)',
  fairness: "Jain's index over users of each user's mean bounded slowdown",
};
