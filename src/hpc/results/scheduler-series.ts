/**
 * Scheduler-level time series of a real run (`scheduler.arrow`): `t` (workload seconds) and one
 * float64 column per series the backend recorded (the Kubernetes backend: schedule attempts and
 * mean scheduling latency per scrape interval, pending pods, API server requests and latency).
 * NaN marks an interval with nothing to average.
 */
import { Float64, vectorFromArray, type Table } from 'apache-arrow';
import { makeTaggedTable } from './arrow-file.js';

/** Builds the table; every series must have as many values as `t`. */
export function schedulerSeriesToTable(series: { t: readonly number[] } & Record<string, readonly number[]>): Table {
  const names = ['t', ...Object.keys(series).filter((k) => k !== 't').sort()];
  for (const n of names) if (series[n]?.length !== series.t.length) throw new Error(`scheduler series ${n}: ${series[n]?.length} values for ${series.t.length} times`);
  const columns = Object.fromEntries(names.map((n) => [n, vectorFromArray([...(series[n] ?? [])], new Float64())]));
  return makeTaggedTable('scheduler-series', columns, Object.fromEntries(names.map((n) => [n, 'value' as const])));
}
