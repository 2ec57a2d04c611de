/**
 * Reads what the report shows besides metrics from each run's output directory: `run.json`
 * (provider, warnings, clamped and dropped jobs), `series.json`, `hosts.arrow` and, when a
 * backend writes one, `scheduler.arrow`. Repetitions of a point are merged: caveats are
 * deduplicated across them, the series come from the first repetition.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dedupeWarnings } from '../../engine/events/reporters/warning-summary.js';
import { readArrowFile } from '../results/arrow-file.js';
import { readHostRows } from '../results/host-rows.js';
import type { PointRuns, RunSeries, SchedulerSeries } from './point-runs.js';

/** One run (a point's repetition) and where its outputs are. */
export interface RunDir {
  /** The point id without the repetition. */
  pointId: string;
  rep: number;
  dir: string;
  topology?: { name?: string; compute_nodes?: { count?: number; vcpus?: number; gpus?: number } };
}

interface RunJson {
  provider?: string;
  jobs?: number;
  dropped?: number;
  clamped?: number;
  warnings?: string[];
}

/** Warnings of one run that change how it compares, as sentences. */
export function runCaveats(run: RunJson, topologyName: string | undefined): string[] {
  const out: string[] = [];
  if (run.clamped) out.push(`${run.clamped} of ${run.jobs ?? '?'} jobs asked for more than the ${topologyName ?? ''} topology has and were clamped to it: this workload is not the same work as on a larger topology`);
  if (run.dropped) out.push(`${run.dropped} trace records were dropped (runtime ≤ 0)`);
  for (const w of run.warnings ?? []) out.push(w);
  return out;
}

async function readJsonIf<T>(path: string): Promise<T | undefined> {
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as T) : undefined;
}

async function schedulerSeries(path: string): Promise<SchedulerSeries | undefined> {
  if (!existsSync(path)) return undefined;
  const table = await readArrowFile(path);
  const t = table.getChild('t');
  if (!t) return undefined;
  const columns: Record<string, number[]> = {};
  for (const f of table.schema.fields) {
    const col = table.getChild(f.name);
    if (f.name === 't' || !col) continue;
    const values = Array.from(col.toArray() as ArrayLike<unknown>, Number);
    if (values.every(Number.isFinite)) columns[f.name] = values;
  }
  return { t: Array.from(t.toArray() as ArrayLike<unknown>, Number), columns };
}

/** Per point id: provider, deduplicated caveats, and the first repetition's series. */
export async function loadPointRuns(runs: readonly RunDir[]): Promise<Record<string, PointRuns>> {
  const out: Record<string, PointRuns> = {};
  const caveats = new Map<string, { text: string; source: string }[]>();
  for (const r of [...runs].sort((a, b) => a.rep - b.rep)) {
    const run = (await readJsonIf<RunJson>(join(r.dir, 'run.json'))) ?? {};
    const cn = r.topology?.compute_nodes;
    const entry = out[r.pointId] ?? { provider: run.provider ?? 'sim', caveats: [], ...(cn?.count && cn.vcpus ? { totalCores: cn.count * cn.vcpus } : {}), ...(cn?.count && cn.gpus ? { totalGpus: cn.count * cn.gpus } : {}) };
    if (!out[r.pointId]) {
      const series = await readJsonIf<RunSeries>(join(r.dir, 'series.json'));
      const hosts = await readHostRows(join(r.dir, 'hosts.arrow'));
      const sched = await schedulerSeries(join(r.dir, 'scheduler.arrow'));
      if (series) entry.series = series;
      if (hosts.length) entry.hosts = hosts;
      if (sched) entry.scheduler = sched;
    }
    out[r.pointId] = entry;
    const list = caveats.get(r.pointId) ?? [];
    for (const text of runCaveats(run, r.topology?.name)) list.push({ text, source: `r${r.rep}` });
    caveats.set(r.pointId, list);
  }
  for (const [id, list] of caveats) {
    const entry = out[id];
    if (entry) entry.caveats = dedupeWarnings(list).map((g) => g.text);
  }
  return out;
}
