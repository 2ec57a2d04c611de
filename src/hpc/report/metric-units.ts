/**
 * Units and value ranges of the metrics, so every axis and column header can say what a number
 * measures and plots never stretch a bounded metric (a fraction) past its bounds.
 */
import type { Objective } from '../pareto/rank-points.js';

/** How a metric is measured: `unit` is shown in headers and axes; `lo`/`hi` bound its values. */
export interface MetricUnit {
  unit: string;
  lo?: number;
  hi?: number;
}

const UNITS: Record<string, MetricUnit> = {
  makespan: { unit: 's', lo: 0 },
  wait_mean: { unit: 's', lo: 0 },
  wait_median: { unit: 's', lo: 0 },
  wait_p95: { unit: 's', lo: 0 },
  bsld_mean: { unit: 'ratio', lo: 1 },
  utilization: { unit: 'fraction', lo: 0, hi: 1 },
  fairness: { unit: 'fraction', lo: 0, hi: 1 },
  throughput: { unit: 'jobs/h', lo: 0 },
  node_hours: { unit: 'node-h', lo: 0 },
  core_hours: { unit: 'core-h', lo: 0 },
};

/** The unit and bounds of `metric`; an unknown metric gets the unit `value` and no bounds. */
export function metricUnit(metric: string): MetricUnit {
  return UNITS[metric] ?? { unit: 'value' };
}

/** `↓` for a minimised objective, `↑` for a maximised one. */
export function directionArrow(direction: Objective['direction']): string {
  return direction === 'min' ? '↓' : '↑';
}

/** Header or axis title: `makespan (s) ↓`. */
export function objectiveTitle(o: Objective): string {
  return `${o.metric} (${metricUnit(o.metric).unit}) ${directionArrow(o.direction)}`;
}

/** `[mean − ci, mean + ci]` cut to the metric's bounds; a missing half-width gives the mean alone. */
export function clippedInterval(metric: string, m: { mean: number; ci95: number }): [number, number] {
  const ci = Number.isFinite(m.ci95) ? m.ci95 : 0;
  const { lo, hi } = metricUnit(metric);
  return [Math.max(lo ?? -Infinity, m.mean - ci), Math.min(hi ?? Infinity, m.mean + ci)];
}
