/**
 * Per group (workload): the front as a "best configurations" table, what distinguishes each front
 * point from the other front points, and a plain statement per objective of whether the leader is
 * a clear winner at the repetitions run or how many more would tell it from the runner-up.
 */
import type { Objective, Ranking } from '../pareto/rank-points.js';
import type { SweepMetricsRow } from '../results/metrics-table.js';
import { escapeHtml, formatMeanCi } from './escape-html.js';
import type { PointGroup } from './group-fronts.js';
import { metricUnit, objectiveTitle } from './metric-units.js';
import { runKind, type PointRuns } from './point-runs.js';
import { judgeLeader, MAX_REPS } from './separation.js';

/** Indices of the group's front, sorted on the first objective. */
export function frontOf(points: readonly SweepMetricsRow[], ranking: Ranking, group: PointGroup, objectives: readonly Objective[]): number[] {
  const first = objectives[0];
  const idx = group.indices.filter((i) => ranking.rank[i] === 1);
  if (first) {
    const sign = first.direction === 'min' ? 1 : -1;
    idx.sort((a, b) => sign * ((points[a]?.metrics[first.metric]?.mean ?? 0) - (points[b]?.metrics[first.metric]?.mean ?? 0)));
  }
  return idx;
}

/** For each front point, the `key=value` config choices that differ among the front points. */
export function configDiff(points: readonly SweepMetricsRow[], front: readonly number[], skip: readonly string[]): Map<number, string[]> {
  const keys = [...new Set(front.flatMap((i) => Object.keys(points[i]?.config ?? {})))].filter((k) => !skip.includes(k));
  const varying = keys.filter((k) => new Set(front.map((i) => String(points[i]?.config[k] ?? '—'))).size > 1);
  return new Map(front.map((i) => [i, varying.map((k) => `${k}=${String(points[i]?.config[k] ?? '—')}`)]));
}

function value(p: SweepMetricsRow, metric: string): string {
  const m = p.metrics[metric];
  return m && Number.isFinite(m.mean) ? `${formatMeanCi(m)} <small>${escapeHtml(metricUnit(metric).unit)}</small>` : '—';
}

/** The best-configurations table of one group. */
export function renderBestTable(o: { points: readonly SweepMetricsRow[]; front: number[]; objectives: readonly Objective[]; runs: Readonly<Record<string, PointRuns>>; skip: readonly string[] }): string {
  const diff = configDiff(o.points, o.front, o.skip);
  const head = ['point', 'ran', ...o.objectives.map(objectiveTitle), 'differs from the other front points in'];
  const rows = o.front.map((i) => {
    const p = o.points[i] as SweepMetricsRow;
    const kind = runKind(o.runs[p.pointId]?.provider);
    const cells = [`<td>${escapeHtml(p.pointId)}</td>`, `<td class="run-${kind}" data-run="${kind}">${kind}</td>`,
      ...o.objectives.map((ob) => `<td class="num">${value(p, ob.metric)}</td>`),
      `<td><code>${escapeHtml((diff.get(i) ?? []).join(' ') || '—')}</code></td>`];
    return `<tr data-point="${escapeHtml(p.pointId)}">${cells.join('')}</tr>`;
  });
  return `<table class="best"><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** One sentence per objective: a clear winner, or no winner at N repetitions and an estimate. */
export function verdictLines(points: readonly SweepMetricsRow[], group: PointGroup, objectives: readonly Objective[]): string[] {
  const out: string[] = [];
  for (const ob of objectives) {
    const cands = group.indices.map((i) => {
      const p = points[i] as SweepMetricsRow;
      const m = p.metrics[ob.metric];
      return m ? { mean: m.mean, ci95: m.ci95, reps: p.reps } : undefined;
    });
    const v = judgeLeader(cands, ob);
    if (!v) continue;
    const name = (k: number): string => points[group.indices[k] as number]?.pointId ?? '?';
    const val = (k: number): string => {
      const p = points[group.indices[k] as number] as SweepMetricsRow;
      return `${formatMeanCi(p.metrics[ob.metric] as { mean: number; ci95: number })} ${metricUnit(ob.metric).unit}`;
    };
    const reps = points[group.indices[v.leader] as number]?.reps ?? 0;
    const title = objectiveTitle(ob);
    if (v.tied.length === 0) {
      out.push(`${title}: ${name(v.leader)} is best (${val(v.leader)}), its 95% interval clear of every other point's at ${reps} repetitions.`);
      continue;
    }
    const rivals = v.tied.slice(0, 3).map((k) => `${name(k)} (${val(k)})`).join(', ') + (v.tied.length > 3 ? ` and ${v.tied.length - 3} more` : '');
    const need = v.repsNeeded === undefined
      ? (reps < 2 ? 'with one repetition there is no interval to judge by' : `more than ${MAX_REPS} repetitions would be needed to separate it from ${name(v.tied[0] as number)}`)
      : `about ${v.repsNeeded} repetitions would separate it from ${name(v.tied[0] as number)} if the spread stays as it is`;
    out.push(`${title}: no winner at ${reps} repetitions — ${name(v.leader)} (${val(v.leader)}) is within the 95% intervals of ${rivals}; ${need}.`);
  }
  return out;
}
