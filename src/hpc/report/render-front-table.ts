/** The Pareto fronts as plain-text tables for the terminal: one per group, ↓ minimise / ↑ maximise. */
import type { Objective, Ranking } from '../pareto/rank-points.js';
import type { SweepMetricsRow } from '../results/metrics-table.js';
import { frontOf } from './best-configurations.js';
import { formatMeanCi } from './escape-html.js';
import type { PointGroup } from './group-fronts.js';
import { objectiveTitle } from './metric-units.js';
import { runKind, type PointRuns } from './point-runs.js';

/** Front rows of each group (rank 1), sorted by the first objective, one column per objective as `mean ± ci95`. */
export function renderFrontTable(o: { points: readonly SweepMetricsRow[]; ranking: Ranking; groups: readonly PointGroup[]; objectives: readonly Objective[]; runs?: Readonly<Record<string, PointRuns>> }): string {
  const { points, ranking, objectives } = o;
  const out: string[] = [];
  const head = ['point', 'ran', ...objectives.map(objectiveTitle)];
  let onFront = 0;
  for (const g of o.groups) {
    const idx = frontOf(points, ranking, g, objectives);
    onFront += idx.length;
    const rows = idx.map((i) => {
      const p = points[i] as SweepMetricsRow;
      return [p.pointId, runKind(o.runs?.[p.pointId]?.provider), ...objectives.map((ob) => {
        const m = p.metrics[ob.metric];
        return m ? formatMeanCi(m) : '—';
      })];
    });
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
    const line = (r: string[]): string => r.map((v, c) => (c < 2 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  ').trimEnd();
    out.push(`${g.label}: ${idx.length} of ${g.indices.length} points on the front`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '');
  }
  const excluded = ranking.excluded.length;
  out.push(`${onFront} of ${points.length} points on the fronts of ${o.groups.length} group(s); ↓ minimise, ↑ maximise${excluded ? `; ${excluded} not ranked (missing or non-finite values)` : ''}`);
  return `${out.join('\n')}\n`;
}
