/**
 * Sweep-wide tables for export: every run's jobs, host samples and per-repetition metrics in one
 * table each, keyed by `point_id` (without the repetition) and `rep`, plus front membership.
 * Written by the report into each history folder so an export needs nothing from the cache.
 */
import { Bool, Dictionary, Float64, Int32, Utf8, vectorFromArray, type Table, type Vector } from 'apache-arrow';
import type { JobRecord } from '../workload/job.js';
import { makeTaggedTable } from './arrow-file.js';
import type { HostSample } from './host-series.js';
import type { ColumnRole } from './schemas.js';

const dict = (): Dictionary<Utf8, Int32> => new Dictionary(new Utf8(), new Int32());

/** Run key columns shared by the tables below. */
function keyColumns(rows: readonly { pointId: string; rep: number }[]): Record<string, Vector> {
  return { point_id: vectorFromArray(rows.map((r) => r.pointId), dict()), rep: vectorFromArray(rows.map((r) => r.rep), new Int32()) };
}

/** Every job of every run (schema: SWEEP_JOBS_SCHEMA). */
export function sweepJobsTable(rows: readonly (JobRecord & { pointId: string; rep: number })[]): Table {
  const f64 = (pick: (j: JobRecord) => number) => vectorFromArray(rows.map(pick), new Float64());
  const i32 = (pick: (j: JobRecord) => number) => vectorFromArray(rows.map(pick), new Int32());
  return makeTaggedTable('sweep-jobs', {
    ...keyColumns(rows),
    id: i32((j) => j.id), user: vectorFromArray(rows.map((j) => j.user), dict()),
    submit: f64((j) => j.submit), start: f64((j) => j.start), end: f64((j) => j.end),
    wait: f64((j) => j.start - j.submit), run: f64((j) => j.end - j.start),
    cores: i32((j) => j.cores), nodes: i32((j) => j.nodes), gpus: i32((j) => j.gpus),
    state: vectorFromArray(rows.map((j) => j.state), dict()), backfilled: vectorFromArray(rows.map((j) => j.backfilled), new Bool()),
  }, { point_id: 'id', rep: 'id', id: 'id', user: 'value', submit: 'value', start: 'value', end: 'value', wait: 'value', run: 'value', cores: 'value', nodes: 'value', gpus: 'value', state: 'value', backfilled: 'value' });
}

/** Every host sample of every real run (schema: SWEEP_HOSTS_SCHEMA). */
export function sweepHostsTable(rows: readonly (HostSample & { pointId: string; rep: number })[]): Table {
  const f64 = (pick: (s: HostSample) => number) => vectorFromArray(rows.map(pick), new Float64());
  return makeTaggedTable('sweep-hosts', {
    ...keyColumns(rows), host: vectorFromArray(rows.map((s) => s.host), dict()), t: f64((s) => s.t), cpu_busy: f64((s) => s.cpuBusy),
    mem_used: f64((s) => s.memUsed), disk_read: f64((s) => s.diskRead), disk_write: f64((s) => s.diskWrite), net_rx: f64((s) => s.netRx), net_tx: f64((s) => s.netTx),
  }, { point_id: 'id', rep: 'id', host: 'id', t: 'value', cpu_busy: 'value', mem_used: 'value', disk_read: 'value', disk_write: 'value', net_rx: 'value', net_tx: 'value' });
}

/** Per-repetition metrics (schema: SWEEP_REP_METRICS_SCHEMA); one float64 column per metric. */
export function repMetricsTable(rows: readonly { pointId: string; rep: number; group: string; provider: string; config: Record<string, string | number | boolean>; metrics: Record<string, number> }[]): Table {
  const cols: Record<string, Vector> = { ...keyColumns(rows), group: vectorFromArray(rows.map((r) => r.group), new Utf8()), provider: vectorFromArray(rows.map((r) => r.provider), dict()) };
  const roles: Record<string, ColumnRole> = { point_id: 'id', rep: 'id', group: 'config', provider: 'config' };
  for (const k of [...new Set(rows.flatMap((r) => Object.keys(r.config)))]) {
    if (k in cols) continue;
    cols[k] = vectorFromArray(rows.map((r) => (r.config[k] === undefined ? null : String(r.config[k]))), new Utf8());
    roles[k] = 'config';
  }
  for (const m of [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))]) {
    cols[m] = vectorFromArray(rows.map((r) => r.metrics[m] ?? null), new Float64());
    roles[m] = 'metric';
  }
  return makeTaggedTable('sweep-rep-metrics', cols, roles);
}

/** Front membership and rank within each group (schema: FRONT_SCHEMA). */
export function frontTable(rows: readonly { pointId: string; group: string; rank: number; crowding: number }[]): Table {
  return makeTaggedTable('front', {
    point_id: vectorFromArray(rows.map((r) => r.pointId), new Utf8()), group: vectorFromArray(rows.map((r) => r.group), new Utf8()),
    rank: vectorFromArray(rows.map((r) => r.rank), new Int32()), on_front: vectorFromArray(rows.map((r) => r.rank === 1), new Bool()),
    crowding: vectorFromArray(rows.map((r) => (Number.isFinite(r.crowding) ? r.crowding : null)), new Float64()),
  }, { point_id: 'id', group: 'config', rank: 'value', on_front: 'value', crowding: 'value' });
}
