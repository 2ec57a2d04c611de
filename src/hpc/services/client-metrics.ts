/**
 * Metrics of one client run, from its `client.arrow` rows:
 * - throughput (requests/s): per-request rows: requests / (last end - first start); aggregate
 *   rows: total requests / total interval time (the intervals of one run do not overlap);
 * - error rate: errors / requests;
 * - latency p50/p95/p99 (ms): per-request rows: nearest-rank percentiles over every request;
 *   one aggregate row: the load generator's own percentiles; several aggregate rows (e.g. one per
 *   redis-benchmark test): their request-weighted mean, which is not a percentile of the union,
 *   and `latency_percentiles` says so.
 */
import type { ClientRow } from './client-row.js';

export interface ClientMetrics {
  requests: number;
  errors: number;
  error_rate: number;
  throughput_rps: number;
  latency_mean_ms: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
  latency_p99_ms: number;
  /** How the percentiles were obtained. */
  latency_percentiles: 'exact' | 'load-generator' | 'weighted-mean-of-tests';
}

function nearestRank(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** The run's metrics; NaN where there is nothing to measure (no requests). */
export function computeClientMetrics(rows: readonly ClientRow[]): ClientMetrics {
  const requests = rows.reduce((s, r) => s + r.requests, 0);
  const errors = rows.reduce((s, r) => s + r.errors, 0);
  const base = { requests, errors, error_rate: requests ? errors / requests : NaN };
  if (rows.every((r) => r.granularity === 'request')) {
    const lat = rows.filter((r) => r.errors === 0).map((r) => r.latencyMeanMs).sort((a, b) => a - b);
    const span = Math.max(...rows.map((r) => r.tEnd)) - Math.min(...rows.map((r) => r.tStart));
    return {
      ...base, throughput_rps: span > 0 ? requests / span : NaN, latency_mean_ms: lat.reduce((s, v) => s + v, 0) / lat.length,
      latency_p50_ms: nearestRank(lat, 50), latency_p95_ms: nearestRank(lat, 95), latency_p99_ms: nearestRank(lat, 99), latency_percentiles: 'exact',
    };
  }
  const time = rows.reduce((s, r) => s + (r.tEnd - r.tStart), 0);
  const weighted = (pick: (r: ClientRow) => number) => (requests ? rows.reduce((s, r) => s + pick(r) * r.requests, 0) / requests : NaN);
  return {
    ...base, throughput_rps: time > 0 ? requests / time : NaN, latency_mean_ms: weighted((r) => r.latencyMeanMs),
    latency_p50_ms: weighted((r) => r.latencyP50Ms), latency_p95_ms: weighted((r) => r.latencyP95Ms), latency_p99_ms: weighted((r) => r.latencyP99Ms),
    latency_percentiles: rows.length === 1 ? 'load-generator' : 'weighted-mean-of-tests',
  };
}
