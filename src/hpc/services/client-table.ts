/** `client.arrow`: the rows of one client run (schema: {@link ClientRow}) to and from Arrow. */
import { Dictionary, Float64, Int32, Utf8, vectorFromArray, type Table } from 'apache-arrow';
import { makeTaggedTable } from '../results/arrow-file.js';
import type { ClientRow } from './client-row.js';

const dict = (): Dictionary<Utf8, Int32> => new Dictionary(new Utf8(), new Int32());

/** Columns: granularity, op, status, t_start and t_end (epoch s), requests, errors, latency_{mean,p50,p95,p99,max}_ms. */
export function clientRowsToTable(rows: readonly ClientRow[]): Table {
  const f64 = (pick: (r: ClientRow) => number) => vectorFromArray(rows.map(pick), new Float64());
  const i32 = (pick: (r: ClientRow) => number) => vectorFromArray(rows.map(pick), new Int32());
  return makeTaggedTable('client', {
    granularity: vectorFromArray(rows.map((r) => r.granularity), dict()),
    op: vectorFromArray(rows.map((r) => r.op), dict()),
    status: vectorFromArray(rows.map((r) => r.status), dict()),
    t_start: f64((r) => r.tStart),
    t_end: f64((r) => r.tEnd),
    requests: i32((r) => r.requests),
    errors: i32((r) => r.errors),
    latency_mean_ms: f64((r) => r.latencyMeanMs),
    latency_p50_ms: f64((r) => r.latencyP50Ms),
    latency_p95_ms: f64((r) => r.latencyP95Ms),
    latency_p99_ms: f64((r) => r.latencyP99Ms),
    latency_max_ms: f64((r) => r.latencyMaxMs),
  }, {
    granularity: 'id', op: 'id', status: 'value', t_start: 'value', t_end: 'value', requests: 'value', errors: 'value',
    latency_mean_ms: 'value', latency_p50_ms: 'value', latency_p95_ms: 'value', latency_p99_ms: 'value', latency_max_ms: 'value',
  });
}

/** Reads `client.arrow` back into rows. */
export function tableToClientRows(table: Table): ClientRow[] {
  return table.toArray().map((row) => {
    const r = (row as { toJSON(): Record<string, unknown> }).toJSON();
    return {
      granularity: r['granularity'] === 'request' ? 'request' : 'aggregate', op: String(r['op']), status: String(r['status']),
      tStart: Number(r['t_start']), tEnd: Number(r['t_end']), requests: Number(r['requests']), errors: Number(r['errors']),
      latencyMeanMs: Number(r['latency_mean_ms']), latencyP50Ms: Number(r['latency_p50_ms']), latencyP95Ms: Number(r['latency_p95_ms']),
      latencyP99Ms: Number(r['latency_p99_ms']), latencyMaxMs: Number(r['latency_max_ms']),
    };
  });
}
