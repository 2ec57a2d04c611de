/** `report:pareto`: aggregates repetitions, ranks the sweep points and writes the report. */
import type { ArtifactTaskDef, SweepPoint } from 'bench';
import { metricsByPoint, TaskError, writeJson } from './io.js';

type Row = import('bench/hpc/results/metrics-table.js').SweepMetricsRow;

/**
 * Flat config columns of a point: its group choices (topology, scheduler, workload, ...) whether
 * defaulted, chosen by an experiment or swept, and the values the sweep gave to plain keys.
 */
export function configColumns(point: SweepPoint): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { ...point.choices };
  for (const [key, value] of Object.entries(point.swept)) {
    out[key] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
  }
  return out;
}

export const reportPareto: ArtifactTaskDef = {
  kind: 'artifact',
  name: 'report:pareto',
  version: 2,
  description: 'Aggregate repetitions (mean, 95% CI), rank sweep points and write report.html and metrics.arrow',
  needs: ['metrics'],
  reads: ['objectives'],
  scope: 'sweep',
  publish: ['report.html', 'metrics.arrow', 'front.txt'],
  summary: 'front.txt',
  async run(ctx) {
    const [{ aggregateRepetitions, METRIC_DEFINITIONS }, { parseObjectives }, { writeParetoReport }, { formatDiagnostic }, { VERSION }] = await Promise.all([
      import('bench/hpc/metrics/index.js'), import('bench/hpc/pareto/index.js'), import('bench/hpc/report/write-pareto-report.js'),
      import('bench/engine/diagnostic.js'), import('bench/version.js'),
    ]);
    const objectivesConfig = ctx.config['objectives'];
    const parsed = parseObjectives(objectivesConfig, METRIC_DEFINITIONS.map((d) => d.name));
    if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new TaskError(parsed.diagnostics.map(formatDiagnostic).join('\n'));
    const rows: Row[] = (await metricsByPoint(ctx)).map(({ point, runs }) => ({
      pointId: point.id.replace(/-r\d+$/, ''),
      configHash: point.configHash,
      reps: runs.length,
      config: configColumns(point),
      metrics: Object.fromEntries(Object.keys(runs[0] ?? {}).map((m) => [m, aggregateRepetitions(runs.map((r) => r[m] as number))])),
    }));
    const result = await writeParetoReport({
      resultsDir: ctx.outDir,
      points: rows,
      objectives: parsed.objectives,
      definitions: Object.fromEntries(METRIC_DEFINITIONS.map((d) => [d.name, d.formula])),
      provenance: { toolVersion: VERSION, date: new Date().toISOString(), notes: [`${rows.length} sweep points, ${ctx.points.length} runs`] },
    });
    await writeJson(ctx.outDir, 'ranking.json', rows.map((r, i) => ({ point: r.pointId, rank: result.ranking.rank[i] })));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${ctx.outDir}/front.txt`, `Pareto front (results/report.html, results/metrics.arrow):\n${result.frontTable}\n`);
  },
};
