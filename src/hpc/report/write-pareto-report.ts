/**
 * The `report:pareto` task's output in one call: `metrics.arrow` for the sweep and the HTML report,
 * both written atomically, plus the fronts as terminal text.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Objective, Ranking } from '../pareto/rank-points.js';
import { writeArrowFile } from '../results/arrow-file.js';
import { sweepMetricsToTable, type SweepMetricsRow } from '../results/metrics-table.js';
import type { PointGroup } from './group-fronts.js';
import type { PointRuns } from './point-runs.js';
import { renderFrontTable } from './render-front-table.js';
import { DEFAULT_GROUP_BY, rankSweepPoints, renderReport, type Provenance } from './render-report.js';

/** What to write and where. */
export interface ParetoReportOptions {
  /** The task's output directory. */
  resultsDir: string;
  points: readonly SweepMetricsRow[];
  /** Objectives including the cost objective. */
  objectives: readonly Objective[];
  groupBy?: readonly string[];
  definitions: Readonly<Record<string, string>>;
  provenance: Provenance;
  runs?: Readonly<Record<string, PointRuns>>;
  title?: string;
}

/** Files written, the groups and their ranking, and the fronts as terminal text. */
export interface ParetoReportResult {
  files: { metrics: string; report: string };
  groups: PointGroup[];
  ranking: Ranking;
  frontTable: string;
}

/** Writes `metrics.arrow` and `report.html` under `resultsDir`. */
export async function writeParetoReport(opts: ParetoReportOptions): Promise<ParetoReportResult> {
  await mkdir(opts.resultsDir, { recursive: true });
  const metrics = join(opts.resultsDir, 'metrics.arrow');
  const report = join(opts.resultsDir, 'report.html');
  const groupBy = opts.groupBy ?? DEFAULT_GROUP_BY;
  const { groups, ranking } = rankSweepPoints(opts.points, opts.objectives, groupBy);
  await writeArrowFile(metrics, sweepMetricsToTable(opts.points));
  const html = renderReport({ ...opts, groupBy });
  const tmp = `${report}.${process.pid}.tmp`;
  await writeFile(tmp, html);
  await rename(tmp, report);
  const frontTable = renderFrontTable({ points: opts.points, ranking, groups, objectives: opts.objectives, ...(opts.runs ? { runs: opts.runs } : {}) });
  return { files: { metrics, report }, groups, ranking, frontTable };
}
