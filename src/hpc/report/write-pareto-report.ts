/**
 * The `report:pareto` task's output in one call: `metrics.arrow` for the sweep and the HTML report,
 * both written atomically, plus the front table for the terminal.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Objective, Ranking } from '../pareto/rank-points.js';
import { writeArrowFile } from '../results/arrow-file.js';
import { sweepMetricsToTable, type SweepMetricsRow } from '../results/metrics-table.js';
import { renderFrontTable } from './render-front-table.js';
import { rankSweepPoints, renderReport, type Provenance } from './render-report.js';

/** What to write and where. */
export interface ParetoReportOptions {
  /** Usually `<project>/results`. */
  resultsDir: string;
  points: readonly SweepMetricsRow[];
  objectives: readonly Objective[];
  definitions: Readonly<Record<string, string>>;
  provenance: Provenance;
  title?: string;
}

/** Files written, the ranking, and the front as terminal text. */
export interface ParetoReportResult {
  files: { metrics: string; report: string };
  ranking: Ranking;
  frontTable: string;
}

/** Writes `metrics.arrow` and `report.html` under `resultsDir`. */
export async function writeParetoReport(opts: ParetoReportOptions): Promise<ParetoReportResult> {
  await mkdir(opts.resultsDir, { recursive: true });
  const metrics = join(opts.resultsDir, 'metrics.arrow');
  const report = join(opts.resultsDir, 'report.html');
  await writeArrowFile(metrics, sweepMetricsToTable(opts.points));
  const html = renderReport({
    points: opts.points,
    objectives: opts.objectives,
    definitions: opts.definitions,
    provenance: opts.provenance,
    ...(opts.title !== undefined ? { title: opts.title } : {}),
  });
  const tmp = `${report}.${process.pid}.tmp`;
  await writeFile(tmp, html);
  await rename(tmp, report);
  const ranking = rankSweepPoints(opts.points, opts.objectives);
  return { files: { metrics, report }, ranking, frontTable: renderFrontTable(opts.points, ranking, opts.objectives) };
}
