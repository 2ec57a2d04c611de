/**
 * `report:pareto`: aggregates repetitions, ranks the sweep points within each group (by default
 * per workload) over the objectives plus cost, writes the report, the export tables and a new
 * history folder under `results/runs/`.
 */
import { defineTask, formatDiagnostic, VERSION } from 'bench';
import type { SweepPoint } from 'bench';
import { readJson, TaskError } from './io.js';

type ConfigValue = string | number | boolean;

/**
 * Flat config columns of a point: its group choices (topology, scheduler, workload, ...) whether
 * defaulted, chosen by an experiment or swept, and the values the sweep gave to plain keys.
 */
export function configColumns(point: SweepPoint): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = { ...point.choices };
  for (const [key, value] of Object.entries(point.swept)) {
    out[key] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
  }
  return out;
}

/**
 * The report's name for a point: every group choice that shapes a run (topology, scheduler,
 * workload, a non-default provider) and the swept keys, so it never reads `default` and the same
 * configuration has the same name in every report, whatever was swept.
 */
export function reportPointId(point: SweepPoint): string {
  const c = point.choices;
  const parts = [c['topology'], c['scheduler'], c['workload'], c['provider'] && c['provider'] !== 'sim' ? c['provider'] : undefined].filter((v): v is string => !!v);
  for (const [k, v] of Object.entries(point.swept)) if (!(k in c)) parts.push(`${k.split('.').pop() ?? k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join('-').replace(/[^\w.=+-]/g, '_') : point.id.replace(/-r\d+$/, '');
}

export const reportPareto = defineTask({
  kind: 'artifact',
  name: 'report:pareto',
  // 3: fronts per group with a cost objective, time series, caveats, history folders.
  version: 3,
  description: 'Aggregate repetitions (mean, 95% CI), rank sweep points per workload with cost, write report.html, exports and a history folder',
  needs: ['metrics', 'workload:run'],
  reads: ['objectives', 'report', 'seed'],
  scope: 'sweep',
  publish: ['report.html', 'metrics.arrow', 'front.txt'],
  summary: 'front.txt',
  async run(ctx) {
    const [{ METRIC_DEFINITIONS }, { parseObjectives, buildSweepReport, COST_METRICS, projectCommit }] = await Promise.all([
      import('bench/metrics'), import('bench/report'),
    ]);
    const parsed = parseObjectives(ctx.config.objectives, [...METRIC_DEFINITIONS.map((d) => d.name), ...COST_METRICS]);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new TaskError(parsed.diagnostics.map(formatDiagnostic).join('\n'));
    const settings = ctx.config.report ?? {};
    const pointById = new Map(ctx.points.map((p) => [p.id, p]));
    const runDir = new Map((ctx.deps['workload:run'] ?? []).map((d) => [d.pointIds[0] ?? '', d.dir]));
    const reps = [];
    for (const dep of ctx.deps['metrics'] ?? []) {
      const point = pointById.get(dep.pointIds[0] ?? '');
      const dir = point && runDir.get(point.id);
      if (!point || !dir) continue;
      reps.push({
        pointId: reportPointId(point), rep: point.rep, dir, configHash: point.configHash, overrides: point.overrides,
        topology: point.config.topology, config: configColumns(point), metrics: await readJson<Record<string, number>>(dep.dir, 'metrics.json'),
      });
    }
    await buildSweepReport({
      outDir: ctx.outDir, resultsDir: `${ctx.projectRoot}/results`, reps, objectives: parsed.objectives,
      ...(settings.group_by ? { groupBy: settings.group_by } : {}), ...(settings.cost ? { cost: settings.cost } : {}),
      provenance: {
        toolVersion: VERSION, date: new Date().toISOString(), command: ['bench', ...process.argv.slice(2)].join(' '),
        ...(ctx.config.seed !== undefined ? { seed: String(ctx.config.seed) } : {}),
        ...projectCommit(ctx.projectRoot), versions: { node: process.version },
        notes: [`${new Set(reps.map((r) => r.pointId)).size} sweep points, ${reps.length} runs`],
      },
    });
  },
});
