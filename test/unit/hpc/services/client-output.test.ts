import { describe, expect, it } from 'vitest';
import { computeClientMetrics } from '../../../../src/hpc/services/client-metrics.js';
import { clientRowsToTable, tableToClientRows } from '../../../../src/hpc/services/client-table.js';
import type { ClientRow } from '../../../../src/hpc/services/client-row.js';
import { parseRedisBenchmark } from '../../../../src/hpc/services/kinds/redis-benchmark.js';
import { parseWrk } from '../../../../src/hpc/services/kinds/wrk.js';

// As redis-benchmark 7.0 (Debian 12) printed them against a redis-server on loopback.
const REDIS_OUT = `BENCH-TEST set 1700000000.250000000
"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
"SET","40000.00","0.080","0.016","0.071","0.111","0.167","5.100"
BENCH-TEST get 1700000001.000000000
"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
"GET","48780.49","0.060","0.016","0.047","0.071","0.087","5.439"
`;
// As wrk 4.1 with the kind's report script printed it.
const WRK_OUT = `BENCH-START 1700000000.5
Running 2s test @ http://127.0.0.1:18080/
BENCH-WRK {"requests":4803,"duration_us":2009483,"connect":0,"read":0,"write":0,"status":3,"timeout":0,"mean_us":2468.8,"max_us":41736,"p50_us":1235,"p95_us":8295,"p99_us":22222}
`;

describe('client output parsers', () => {
  it('reads one aggregate row per redis-benchmark test, its interval lasting requests / rate', () => {
    const rows = parseRedisBenchmark(REDIS_OUT, 20_000) as ClientRow[];
    expect(rows.map((r) => r.op)).toEqual(['SET', 'GET']);
    expect(rows[0]).toMatchObject({ granularity: 'aggregate', requests: 20_000, errors: 0, latencyP99Ms: 0.167, tStart: 1700000000.25 });
    expect(rows[0]?.tEnd).toBeCloseTo(1700000000.25 + 0.5, 6);
    expect(parseRedisBenchmark('Could not connect to Redis at 10.0.0.2:6379: Connection refused\n', 10)).toMatch(/no results/);
  });

  it('reads wrk\'s run statistics, counting non-2xx/3xx answers and socket errors as errors', () => {
    const [row] = parseWrk(WRK_OUT) as ClientRow[];
    expect(row).toMatchObject({ requests: 4803, errors: 3, status: 'errors', latencyP50Ms: 1.235, latencyP99Ms: 22.222 });
    expect((row?.tEnd ?? 0) - (row?.tStart ?? 0)).toBeCloseTo(2.009483, 6);
    expect(parseWrk('unable to connect to 10.0.0.2:8080 Connection refused\n')).toMatch(/no statistics/);
  });

  it('round-trips rows through client.arrow', () => {
    const rows = parseRedisBenchmark(REDIS_OUT, 20_000) as ClientRow[];
    expect(tableToClientRows(clientRowsToTable(rows))).toEqual(rows);
  });
});

describe('client metrics', () => {
  const req = (t: number, ms: number, errors = 0): ClientRow => ({
    granularity: 'request', op: 'GET', status: errors ? '500' : '200', tStart: t, tEnd: t + ms / 1000, requests: 1, errors,
    latencyMeanMs: ms, latencyP50Ms: ms, latencyP95Ms: ms, latencyP99Ms: ms, latencyMaxMs: ms,
  });

  it('takes nearest-rank percentiles over successful requests and throughput over the run\'s span', () => {
    const rows = [...Array.from({ length: 99 }, (_, i) => req(i * 0.01, i + 1)), req(0.99, 1000, 1)];
    const m = computeClientMetrics(rows);
    expect(m).toMatchObject({ requests: 100, errors: 1, error_rate: 0.01, latency_p50_ms: 50, latency_p95_ms: 95, latency_p99_ms: 99, latency_percentiles: 'exact' });
    expect(m.throughput_rps).toBeCloseTo(100 / (0.99 + 1), 6);
  });

  it('weights aggregate rows by their requests and says their percentiles are not of the union', () => {
    const m = computeClientMetrics(parseRedisBenchmark(REDIS_OUT, 20_000) as ClientRow[]);
    // Epoch-second timestamps leave about 1e-7 s of precision in each interval.
    expect(m.throughput_rps).toBeCloseTo(40_000 / (0.5 + 20_000 / 48780.49), 1);
    expect(m.latency_p99_ms).toBeCloseTo((0.167 + 0.087) / 2, 9);
    expect(m.latency_percentiles).toBe('weighted-mean-of-tests');
    expect(computeClientMetrics(parseWrk(WRK_OUT) as ClientRow[]).latency_percentiles).toBe('load-generator');
  });
});
