/**
 * Per-run metrics tables and the sweep-level `metrics.arrow`. Metric names are data: whatever the
 * metrics module reports becomes a float64 column, so adding a metric needs no change here.
 */
import { Bool, Float64, Int32, Utf8, vectorFromArray, type Table, type Vector } from 'apache-arrow';
import { columnRoles, makeTaggedTable } from './arrow-file.js';
import type { ColumnRole } from './schemas.js';

/** One run's metrics (schema: RUN_METRICS_SCHEMA). */
export interface RunMetricsRow {
  pointId: string;
  rep: number;
  configHash: string;
  topology: string;
  scheduler: string;
  workload: string;
  metrics: Record<string, number>;
}

/** A config value as it can appear in a column. */
export type ConfigValue = string | number | boolean;

/** One sweep point aggregated over repetitions (schema: SWEEP_METRICS_SCHEMA). */
export interface SweepMetricsRow {
  pointId: string;
  configHash: string;
  reps: number;
  /** Flat config columns, e.g. `{ topology: 'small', scheduler: 'slurm', 'scheduler.bf_window': 60 }`. */
  config: Record<string, ConfigValue>;
  /** Mean and 95% CI half-width per metric. */
  metrics: Record<string, { mean: number; ci95: number }>;
}

/** Union of keys in first-seen order, so column order follows the producer's order. */
function keysOf(records: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** Missing values become null rather than 0, so a reader cannot mistake them for data. */
function floatColumn(values: readonly (number | undefined)[]): Vector {
  return vectorFromArray(values.map((v) => v ?? null), new Float64());
}

/** Builds one run's metrics table (usually a single row). */
export function runMetricsToTable(rows: readonly RunMetricsRow[]): Table {
  const cols: Record<string, Vector> = {
    point_id: vectorFromArray(rows.map((r) => r.pointId), new Utf8()),
    rep: vectorFromArray(rows.map((r) => r.rep), new Int32()),
    config_hash: vectorFromArray(rows.map((r) => r.configHash), new Utf8()),
    topology: vectorFromArray(rows.map((r) => r.topology), new Utf8()),
    scheduler: vectorFromArray(rows.map((r) => r.scheduler), new Utf8()),
    workload: vectorFromArray(rows.map((r) => r.workload), new Utf8()),
  };
  const roles: Record<string, ColumnRole> = { point_id: 'id', rep: 'id', config_hash: 'id', topology: 'config', scheduler: 'config', workload: 'config' };
  for (const m of keysOf(rows.map((r) => r.metrics))) {
    cols[m] = floatColumn(rows.map((r) => r.metrics[m]));
    roles[m] = 'metric';
  }
  return makeTaggedTable('run-metrics', cols, roles);
}

function configColumn(values: readonly (ConfigValue | undefined)[]): Vector {
  const present = values.filter((v) => v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return floatColumn(values as (number | undefined)[]);
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) {
    return vectorFromArray(values.map((v) => v ?? null), new Bool());
  }
  return vectorFromArray(values.map((v) => (v === undefined ? null : String(v))), new Utf8());
}

/** Builds the sweep-level metrics table. Throws if a config key collides with a metric column (a bug upstream). */
export function sweepMetricsToTable(rows: readonly SweepMetricsRow[]): Table {
  const cols: Record<string, Vector> = {
    point_id: vectorFromArray(rows.map((r) => r.pointId), new Utf8()),
    config_hash: vectorFromArray(rows.map((r) => r.configHash), new Utf8()),
    reps: vectorFromArray(rows.map((r) => r.reps), new Int32()),
  };
  const roles: Record<string, ColumnRole> = { point_id: 'id', config_hash: 'id', reps: 'id' };
  for (const k of keysOf(rows.map((r) => r.config))) {
    cols[k] = configColumn(rows.map((r) => r.config[k]));
    roles[k] = 'config';
  }
  for (const m of keysOf(rows.map((r) => r.metrics))) {
    for (const name of [m, `${m}_ci95`]) {
      if (name in cols) throw new Error(`metrics.arrow: column ${name} would be defined twice`);
    }
    cols[m] = floatColumn(rows.map((r) => r.metrics[m]?.mean));
    cols[`${m}_ci95`] = floatColumn(rows.map((r) => r.metrics[m]?.ci95));
    roles[m] = 'metric';
    roles[`${m}_ci95`] = 'ci95';
  }
  return makeTaggedTable('sweep-metrics', cols, roles);
}

/** Reads `metrics.arrow` back, using the recorded column roles. Null metric values stay absent. */
export function tableToSweepMetrics(table: Table): SweepMetricsRow[] {
  const roles = columnRoles(table);
  const names = table.schema.fields.map((f) => f.name);
  const configCols = names.filter((n) => roles[n] === 'config');
  const metricCols = names.filter((n) => roles[n] === 'metric');
  const out: SweepMetricsRow[] = [];
  for (const row of table) {
    const r = row.toJSON() as Record<string, unknown>;
    const config: Record<string, ConfigValue> = {};
    for (const c of configCols) {
      const v = r[c];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') config[c] = v;
    }
    const metrics: SweepMetricsRow['metrics'] = {};
    for (const m of metricCols) {
      const mean = r[m];
      const ci = r[`${m}_ci95`];
      if (typeof mean === 'number') metrics[m] = { mean, ci95: typeof ci === 'number' ? ci : NaN };
    }
    out.push({ pointId: String(r['point_id']), configHash: String(r['config_hash']), reps: Number(r['reps']), config, metrics });
  }
  return out;
}
