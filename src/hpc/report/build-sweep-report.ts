/**
 * Everything `report:pareto` produces from a sweep's runs, in one call: repetitions aggregated
 * (mean, 95% CI), fronts within groups with the cost objective, the HTML report, the terminal
 * fronts, the sweep-wide export tables, and a new history folder under `results/runs/`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aggregateRepetitions, METRIC_DEFINITIONS } from '../metrics/index.js';
import type { Objective } from '../pareto/rank-points.js';
import { readArrowFile, writeArrowFile } from '../results/arrow-file.js';
import { readHostRows } from '../results/host-rows.js';
import { tableToJobs } from '../results/jobs-table.js';
import type { ConfigValue, SweepMetricsRow } from '../results/metrics-table.js';
import { recordInvocation, sweepLabel } from '../results/run-history.js';
import { frontTable, repMetricsTable, sweepHostsTable, sweepJobsTable } from '../results/sweep-tables.js';
import { COST_DEFINITIONS, withCostObjective, type CostSetting } from './cost-metrics.js';
import { loadPointRuns, type RunDir } from './load-point-runs.js';
import { DEFAULT_GROUP_BY, type Provenance } from './render-report.js';
import { writeParetoReport } from './write-pareto-report.js';

/** One repetition of one point: its config columns, metrics, and the run's output directory. */
export interface RepInput extends RunDir {
  configHash: string;
  config: Record<string, ConfigValue>;
  metrics: Record<string, number>;
  overrides: readonly string[];
}

/** Inputs of {@link buildSweepReport}. */
export interface SweepReportOptions {
  outDir: string;
  /** `<project>/results`, where the history folder goes. */
  resultsDir: string;
  reps: readonly RepInput[];
  objectives: readonly Objective[];
  groupBy?: readonly string[];
  cost?: CostSetting;
  provenance: Provenance;
}

/** Aggregates repetitions into sweep points, in the order points first appear. */
function aggregate(reps: readonly RepInput[]): SweepMetricsRow[] {
  const byPoint = new Map<string, RepInput[]>();
  for (const r of reps) byPoint.set(r.pointId, [...(byPoint.get(r.pointId) ?? []), r]);
  return [...byPoint.entries()].map(([pointId, rs]) => ({
    pointId, configHash: rs[0]?.configHash ?? '', reps: rs.length, config: rs[0]?.config ?? {},
    metrics: Object.fromEntries(Object.keys(rs[0]?.metrics ?? {}).map((m) => [m, aggregateRepetitions(rs.map((r) => r.metrics[m] as number))])),
  }));
}

/** Writes the report files into `outDir` and a history folder; returns the terminal text. */
export async function buildSweepReport(o: SweepReportOptions): Promise<{ frontText: string; historyDir: string }> {
  const groupBy = o.groupBy ?? DEFAULT_GROUP_BY;
  const objectives = withCostObjective(o.objectives, o.cost ?? 'node_hours');
  const points = aggregate(o.reps);
  const runs = await loadPointRuns(o.reps);
  const definitions = Object.fromEntries([...METRIC_DEFINITIONS, ...COST_DEFINITIONS].map((d) => [d.name, d.formula]));
  const result = await writeParetoReport({ resultsDir: o.outDir, points, objectives, groupBy, definitions, provenance: o.provenance, runs });
  const groupOf = new Map(result.groups.flatMap((g) => g.indices.map((i) => [points[i]?.pointId ?? '', g.label] as const)));
  const ranks = points.map((p, i) => ({ pointId: p.pointId, group: groupOf.get(p.pointId) ?? '', rank: result.ranking.rank[i] ?? 0, crowding: result.ranking.crowding[i] ?? 0 }));
  await writeArrowFile(join(o.outDir, 'front.arrow'), frontTable(ranks));
  await writeFile(join(o.outDir, 'ranking.json'), `${JSON.stringify(ranks.map((r) => ({ point: r.pointId, group: r.group, rank: r.rank })), null, 2)}\n`);
  await writeArrowFile(join(o.outDir, 'rep-metrics.arrow'), repMetricsTable(o.reps.map((r) => ({ ...r, group: groupOf.get(r.pointId) ?? '', provider: runs[r.pointId]?.provider ?? 'sim' }))));
  const jobs = [];
  const hosts = [];
  for (const r of o.reps) {
    const jobsFile = join(r.dir, 'jobs.arrow');
    for (const j of tableToJobs(await readArrowFile(jobsFile))) jobs.push({ ...j, pointId: r.pointId, rep: r.rep });
    for (const h of await readHostRows(join(r.dir, 'hosts.arrow'))) hosts.push({ ...h, pointId: r.pointId, rep: r.rep });
  }
  await writeArrowFile(join(o.outDir, 'jobs.arrow'), sweepJobsTable(jobs));
  if (hosts.length) await writeArrowFile(join(o.outDir, 'hosts.arrow'), sweepHostsTable(hosts));
  const frontText = `Pareto fronts per ${groupBy.join(', ') || 'sweep'} (results/latest/report.html):\n${result.frontTable}`;
  await writeFile(join(o.outDir, 'front.txt'), `${frontText}\n`);
  const files = Object.fromEntries(['report.html', 'front.txt', 'metrics.arrow', 'rep-metrics.arrow', 'jobs.arrow', 'hosts.arrow', 'front.arrow'].map((f) => [f, join(o.outDir, f)]));
  const historyDir = recordInvocation({
    resultsDir: o.resultsDir, date: new Date(o.provenance.date), sweep: sweepLabel(o.reps.map((r) => r.overrides)), files,
    meta: { command: o.provenance.command ?? '', points: points.length, runs: o.reps.length, onFront: ranks.filter((r) => r.rank === 1).length, groups: result.groups.map((g) => g.label) },
  });
  return { frontText, historyDir };
}
