/**
 * Pareto fronts within groups of sweep points (by default one per workload): makespans of
 * different work measure different things, so points are only compared with points of the same
 * group. Ranks and crowding are computed per group and laid out in the points' order.
 */
import { rankPoints, type Objective, type Ranking } from '../pareto/rank-points.js';
import type { SweepMetricsRow } from '../results/metrics-table.js';

/** Points sharing the values of the `group_by` keys. */
export interface PointGroup {
  /** `workload=mixed`, or `all points` when nothing groups them. */
  label: string;
  /** The grouping keys' values, e.g. `{ workload: 'mixed' }`. */
  values: Record<string, string>;
  /** Indices into the points array, in their order. */
  indices: number[];
}

/** Groups `points` by the values of `groupBy` in their config columns (missing values group together). */
export function groupPoints(points: readonly SweepMetricsRow[], groupBy: readonly string[]): PointGroup[] {
  const groups = new Map<string, PointGroup>();
  points.forEach((p, i) => {
    const values = Object.fromEntries(groupBy.map((k) => [k, p.config[k] === undefined ? '' : String(p.config[k])]));
    const shown = groupBy.filter((k) => values[k] !== '').map((k) => `${k}=${values[k]}`);
    const label = shown.length > 0 ? shown.join(', ') : 'all points';
    const g = groups.get(label) ?? { label, values, indices: [] };
    g.indices.push(i);
    groups.set(label, g);
  });
  return [...groups.values()];
}

/** Ranks each group on its own over the points' mean values; rank 1 = that group's front. */
export function rankWithinGroups(points: readonly SweepMetricsRow[], objectives: readonly Objective[], groups: readonly PointGroup[]): Ranking {
  const rank = new Int32Array(points.length);
  const crowding = new Float64Array(points.length);
  const excluded: Ranking['excluded'] = [];
  for (const g of groups) {
    const rows = g.indices.map((i) => Object.fromEntries(Object.entries(points[i]?.metrics ?? {}).map(([k, v]) => [k, v.mean])));
    const r = rankPoints(rows, objectives);
    g.indices.forEach((i, k) => {
      rank[i] = r.rank[k] ?? 0;
      crowding[i] = r.crowding[k] ?? 0;
    });
    for (const e of r.excluded) excluded.push({ ...e, index: g.indices[e.index] ?? e.index });
  }
  excluded.sort((a, b) => a.index - b.index);
  return { rank, crowding, excluded };
}
