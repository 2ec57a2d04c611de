/** The Pareto front as a plain-text table for the terminal. */
import type { Objective, Ranking } from '../pareto/rank-points.js';
import type { SweepMetricsRow } from '../results/metrics-table.js';
import { formatMeanCi } from './escape-html.js';

/** Front rows (rank 1), sorted by the first objective, one column per objective as `mean ± ci95`. */
export function renderFrontTable(points: readonly SweepMetricsRow[], ranking: Ranking, objectives: readonly Objective[]): string {
  const first = objectives[0];
  const idx = points.map((_, i) => i).filter((i) => ranking.rank[i] === 1);
  if (first) {
    const sign = first.direction === 'min' ? 1 : -1;
    idx.sort((a, b) => sign * ((points[a]?.metrics[first.metric]?.mean ?? 0) - (points[b]?.metrics[first.metric]?.mean ?? 0)));
  }
  const head = ['point', ...objectives.map((o) => `${o.metric} (${o.direction})`)];
  const rows = idx.map((i) => {
    const p = points[i] as SweepMetricsRow;
    return [p.pointId, ...objectives.map((o) => {
      const m = p.metrics[o.metric];
      return m ? formatMeanCi(m) : '—';
    })];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => r.map((v, c) => (c === 0 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const excluded = ranking.excluded.length;
  out.push(`${idx.length} of ${points.length} points on the front${excluded ? `; ${excluded} not ranked (missing or non-finite values)` : ''}`);
  return `${out.join('\n')}\n`;
}
