/**
 * Gathers what MLflow gets for one sweep point repetition from the committed outputs of its
 * `workload:run` and `metrics` tasks: params from the point's config, metrics from its
 * `metrics.arrow` (every metric column, exactly as stored), histories from `series.json`, tags,
 * and the artifacts (config.yaml, run.json, jobs.arrow and a Parquet copy, metrics.arrow).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { canonicalJson, sha256Hex } from '../../engine/hash/canonical-json.js';
import type { SweepPoint } from '../../engine/config/sweep-point.js';
import { columnRoles, readArrowFile } from '../results/arrow-file.js';
import type { ArtifactSource, TrackedRun } from './export-sweep.js';
import { flattenParams } from './flatten-params.js';
import { seriesToHistories, type RunSeries } from './series-metrics.js';

export interface CollectRunInput {
  point: SweepPoint;
  /** Group → option of this point (topology, scheduler, ...), logged first. */
  choices: Record<string, string>;
  /** Committed output directory of the point's `workload:run` instance. */
  runDir: string;
  /** Committed output directory of the point's `metrics` instance. */
  metricsDir: string;
  /** Tags shared by every run of the sweep (the project's commit, ...). */
  commonTags: Record<string, string>;
}

/** The config a result depends on: the point's config without tracking's own settings. */
export function trackedConfigHash(config: Record<string, unknown>): string {
  const { tracking: _tracking, sweep: _sweep, ...rest } = config;
  return sha256Hex(canonicalJson(rest));
}

/** Builds the child run of one point repetition. */
export async function collectRun(input: CollectRunInput): Promise<TrackedRun> {
  const { point, runDir, metricsDir } = input;
  const jobs = await readFile(join(runDir, 'jobs.arrow'));
  const metricsBytes = await readFile(join(metricsDir, 'metrics.arrow'));
  const metrics = await readMetrics(join(metricsDir, 'metrics.arrow'));
  const configHash = trackedConfigHash(point.config);
  // Why a run is "the same": same point and repetition, same config, same results. A changed
  // config value, or a rerun that produced different jobs, is a new MLflow run; the old one stays.
  const fingerprint = sha256Hex(canonicalJson({ point: point.id, rep: point.rep, config: configHash, jobs: sha256Hex(jobs), metrics: sha256Hex(metricsBytes) }));
  const { params, truncated } = flattenParams(point.config, input.choices, { rep: point.rep });
  const provider = String((point.config['provider'] as { kind?: unknown } | undefined)?.kind ?? 'sim');
  const runJson = join(runDir, 'run.json');
  const seriesPath = join(runDir, 'series.json');
  const histories = existsSync(seriesPath) ? seriesToHistories(JSON.parse(await readFile(seriesPath, 'utf8')) as RunSeries) : [];
  const artifacts: ArtifactSource[] = [
    { name: 'config.yaml', read: async () => new TextEncoder().encode(pointConfigYaml(point)) },
    { name: 'jobs.arrow', read: async () => jobs },
    { name: 'jobs.parquet', read: () => toParquet(jobs) },
    { name: 'metrics.arrow', read: async () => metricsBytes },
  ];
  if (existsSync(runJson)) artifacts.splice(1, 0, { name: 'run.json', read: () => readFile(runJson) });
  return {
    name: point.id,
    fingerprint,
    params,
    metrics,
    histories,
    tags: {
      ...input.commonTags,
      'bench.point_id': point.id,
      'bench.rep': String(point.rep),
      'bench.config_hash': point.configHash,
      'bench.tracked_config_hash': configHash,
      'bench.provider': provider,
      'bench.execution': provider === 'sim' ? 'simulated' : 'real',
      ...(truncated.length ? { 'bench.params_truncated': truncated.join(',').slice(0, 5000) } : {}),
    },
    artifacts,
  };
}

/** Every metric column of a run's metrics.arrow (one row), by the roles the file records. */
async function readMetrics(path: string): Promise<Record<string, number>> {
  const table = await readArrowFile(path);
  const roles = columnRoles(table);
  const out: Record<string, number> = {};
  for (const field of table.schema.fields) {
    if (roles[field.name] !== 'metric') continue;
    const v = table.getChild(field.name)?.get(0) as number | null | undefined;
    if (typeof v === 'number') out[field.name] = v;
  }
  return out;
}

/** The same record `workload:run` saves beside its results, for this exact point. */
function pointConfigYaml(point: SweepPoint): string {
  const body = { id: point.id, rep: point.rep, configHash: point.configHash, overrides: point.overrides, config: point.config };
  return `# Resolved config of sweep point ${point.id}\n${stringify(body)}`;
}

async function toParquet(arrowFile: Uint8Array): Promise<Uint8Array> {
  const [{ tableFromIPC }, { exportTable }] = await Promise.all([import('apache-arrow'), import('../results/export-table.js')]);
  return exportTable(tableFromIPC(arrowFile), 'parquet');
}
