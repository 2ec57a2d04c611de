/**
 * Every results table's schema, declared in one place so the README can document them.
 *
 * Files are Arrow IPC *file* format (`.arrow`, readable by pyarrow `pa.ipc.open_file`, polars
 * `pl.read_ipc`, DuckDB's arrow extension). Times are float64 seconds relative to the workload's
 * start. Schema-level metadata `bench.table` names the table and `bench.roles` (JSON object,
 * column -> role) says which columns are ids, config, metric means and their 95% CI half-widths.
 */

/** Column role recorded in `bench.roles`, so readers need not guess from names. */
export type ColumnRole = 'id' | 'config' | 'metric' | 'ci95' | 'value';

/** Arrow type names used in the schema docs below. */
export type ColumnType = 'int32' | 'float64' | 'bool' | 'utf8' | 'dictionary<int32, utf8>';

/** One documented column. */
export interface ColumnDoc {
  name: string;
  type: ColumnType;
  doc: string;
}

/** `runs/<point>/jobs.arrow`: one row per job of one run. */
export const JOBS_SCHEMA: readonly ColumnDoc[] = [
  { name: 'id', type: 'int32', doc: 'job id from the workload' },
  { name: 'user', type: 'dictionary<int32, utf8>', doc: 'submitting user' },
  { name: 'submit', type: 'float64', doc: 'arrival time, s' },
  { name: 'start', type: 'float64', doc: 'start time, s' },
  { name: 'end', type: 'float64', doc: 'end time, s' },
  { name: 'cores', type: 'int32', doc: 'total cores allocated' },
  { name: 'nodes', type: 'int32', doc: 'nodes allocated' },
  { name: 'gpus', type: 'int32', doc: 'total GPUs allocated' },
  { name: 'state', type: 'dictionary<int32, utf8>', doc: 'completed | timeout | failed | cancelled' },
  { name: 'backfilled', type: 'bool', doc: 'started ahead of a job queued before it' },
];

/**
 * `runs/<point>/metrics.arrow`: one row per run (point and repetition); after the fixed columns,
 * one float64 column per metric, named as the metrics module names it (makespan, wait_mean, ...).
 */
export const RUN_METRICS_SCHEMA: readonly ColumnDoc[] = [
  { name: 'point_id', type: 'utf8', doc: 'sweep point id including the repetition' },
  { name: 'rep', type: 'int32', doc: 'repetition index' },
  { name: 'config_hash', type: 'utf8', doc: 'sha256 of the point config without rep' },
  { name: 'topology', type: 'utf8', doc: 'topology choice' },
  { name: 'scheduler', type: 'utf8', doc: 'scheduler choice' },
  { name: 'workload', type: 'utf8', doc: 'workload choice' },
];

/**
 * `results/metrics.arrow`: one row per sweep point aggregated over repetitions. After the fixed
 * columns come the point's config columns (utf8, float64 or bool, as the values are), then per
 * metric `<metric>` (float64 mean) and `<metric>_ci95` (float64 half-width of the 95% CI).
 */
export const SWEEP_METRICS_SCHEMA: readonly ColumnDoc[] = [
  { name: 'point_id', type: 'utf8', doc: 'sweep point id without the repetition' },
  { name: 'config_hash', type: 'utf8', doc: 'sha256 of the point config without rep' },
  { name: 'reps', type: 'int32', doc: 'repetitions aggregated' },
];

/** `runs/<point>/hosts.arrow`: host samples of a real run; counters are cumulative. */
export const HOST_SERIES_SCHEMA: readonly ColumnDoc[] = [
  { name: 'host', type: 'dictionary<int32, utf8>', doc: 'host name' },
  { name: 't', type: 'float64', doc: 'sample time, s' },
  { name: 'cpu_busy', type: 'float64', doc: 'fraction of CPU time busy since the previous sample, 0..1' },
  { name: 'mem_used', type: 'float64', doc: 'memory in use, bytes' },
  { name: 'disk_read', type: 'float64', doc: 'bytes read, cumulative' },
  { name: 'disk_write', type: 'float64', doc: 'bytes written, cumulative' },
  { name: 'net_rx', type: 'float64', doc: 'bytes received, cumulative' },
  { name: 'net_tx', type: 'float64', doc: 'bytes sent, cumulative' },
];

/** Markdown table of a schema, for the README. */
export function schemaMarkdown(columns: readonly ColumnDoc[]): string {
  // A `|` inside a cell would end it early.
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const rows = columns.map((c) => `| \`${c.name}\` | ${cell(c.type)} | ${cell(c.doc)} |`);
  return ['| column | type | meaning |', '|---|---|---|', ...rows].join('\n');
}
