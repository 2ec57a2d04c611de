/**
 * The cost objective. Every simulated or virtual cluster is carved out of one host, so the
 * capacity a cluster shape reserves for the whole makespan is the price it pays: more nodes always
 * shorten the makespan, and cost makes that a trade-off instead of a free win.
 */
import type { Objective } from '../pareto/rank-points.js';

/** The cost metrics each repetition records. */
export const COST_METRICS = ['node_hours', 'core_hours'] as const;
export type CostMetric = (typeof COST_METRICS)[number];

/** Definitions the report prints next to the other metrics. */
export const COST_DEFINITIONS: { name: CostMetric; formula: string }[] = [
  { name: 'node_hours', formula: 'node-hours reserved = compute nodes × makespan / 3600 (the cluster is held for the whole makespan)' },
  { name: 'core_hours', formula: 'core-hours reserved = compute nodes × vcpus per node × makespan / 3600' },
];

/** Cost of one repetition from its makespan (s) and the topology's compute nodes. */
export function costMetrics(makespanS: number, computeNodes: number, vcpusPerNode: number): Record<CostMetric, number> {
  return {
    node_hours: (computeNodes * makespanS) / 3600,
    core_hours: (computeNodes * vcpusPerNode * makespanS) / 3600,
  };
}

/** `report.cost` setting: which cost metric joins the objectives, or `none`. */
export type CostSetting = CostMetric | 'none';

/** The configured objectives plus the cost objective (minimised), unless it is off or already listed. */
export function withCostObjective(objectives: readonly Objective[], cost: CostSetting): Objective[] {
  if (cost === 'none' || objectives.some((o) => o.metric === cost)) return [...objectives];
  return [...objectives, { metric: cost, direction: 'min' }];
}
