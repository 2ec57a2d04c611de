/**
 * A run's time series (`series.json`: the simulator's queue length and busy cores at each event)
 * as MLflow metric histories: step = event index, timestamp = workload time in milliseconds, so
 * MLflow's "relative time" axis reads as workload time.
 */
import type { MlflowMetric } from './mlflow-client.js';

/** `series.json` as the simulator writes it: parallel arrays, one entry per scheduling event. */
export interface RunSeries {
  t: number[];
  queued?: number[];
  busyCores?: number[];
  busyGpus?: number[];
}

/** Series name in series.json → metric key in MLflow. */
export const SERIES_METRICS: Readonly<Record<string, string>> = {
  queued: 'series.queued_jobs',
  busyCores: 'series.busy_cores',
  busyGpus: 'series.busy_gpus',
};

/**
 * More points than this per series are thinned to evenly spaced events (the first and last kept):
 * a 100,000-job trace would otherwise cost hundreds of requests per run for a plot MLflow draws
 * with far fewer points.
 */
export const MAX_HISTORY_POINTS = 2000;

/** Metric histories of every series present; steps stay the original event indices. */
export function seriesToHistories(series: RunSeries, max = MAX_HISTORY_POINTS): MlflowMetric[] {
  const n = series.t.length;
  const picked = pickIndices(n, max);
  const out: MlflowMetric[] = [];
  for (const [field, key] of Object.entries(SERIES_METRICS)) {
    const values = series[field as keyof RunSeries];
    if (!Array.isArray(values) || values.length !== n) continue;
    for (const i of picked) out.push({ key, value: values[i] as number, timestamp: Math.round((series.t[i] as number) * 1000), step: i });
  }
  return out;
}

function pickIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (n - 1)) / (max - 1)));
  return [...out];
}
