/**
 * Non-dominated sorting (ranks) and crowding distance over named metrics, for the report and the
 * terminal table. Rows whose objective values are missing or not finite are not ranked; they are
 * listed in `excluded` with the metric at fault, so the report can show them instead of hiding them.
 */
import { markFirstFront } from './first-front.js';

/** One Pareto objective, as written in config: `{ metric: makespan, direction: min }`. */
export interface Objective {
  metric: string;
  direction: 'min' | 'max';
}

/** The default objectives when config names none. */
export const DEFAULT_OBJECTIVES: readonly Objective[] = [
  { metric: 'makespan', direction: 'min' },
  { metric: 'bsld_mean', direction: 'min' },
  { metric: 'utilization', direction: 'max' },
  { metric: 'fairness', direction: 'max' },
];

/** A row left out of the ranking, and why. */
export interface ExcludedRow {
  index: number;
  metric: string;
  reason: 'missing' | 'not-finite';
}

/** Ranks are 1-based (1 = the Pareto front); 0 marks an excluded row. */
export interface Ranking {
  rank: Int32Array;
  /** NSGA-II crowding distance within the row's front; boundary points get Infinity. */
  crowding: Float64Array;
  excluded: ExcludedRow[];
}

/** Objective columns oriented for minimisation (maximised metrics negated); NaN where unusable. */
function orientedColumns(
  rows: readonly Record<string, unknown>[],
  objectives: readonly Objective[],
  excluded: ExcludedRow[],
): Float64Array[] {
  const cols = objectives.map(() => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    let bad: ExcludedRow | undefined;
    objectives.forEach((o, k) => {
      const v = row[o.metric];
      const col = cols[k] as Float64Array;
      if (typeof v !== 'number') {
        bad ??= { index: i, metric: o.metric, reason: 'missing' };
        col[i] = NaN;
      } else if (!Number.isFinite(v)) {
        bad ??= { index: i, metric: o.metric, reason: 'not-finite' };
        col[i] = NaN;
      } else col[i] = o.direction === 'max' ? -v : v;
    });
    if (bad) excluded.push(bad);
  });
  return cols;
}

/**
 * Ranks `rows` by non-dominated sorting over `objectives`, peeling one front at a time with the
 * sort-based first-front sweep, and computes crowding distance within each front.
 * `maxRank` stops after that many fronts (the rest get rank `maxRank + 1`).
 */
export function rankPoints(
  rows: readonly Record<string, unknown>[],
  objectives: readonly Objective[],
  opts: { maxRank?: number } = {},
): Ranking {
  const excluded: ExcludedRow[] = [];
  const cols = orientedColumns(rows, objectives, excluded);
  const rank = new Int32Array(rows.length);
  const crowding = new Float64Array(rows.length);
  const skip = new Set(excluded.map((e) => e.index));
  let remaining = Uint32Array.from(rows.keys()).filter((i) => !skip.has(i));
  const mark = new Uint8Array(rows.length);
  const maxRank = opts.maxRank ?? Infinity;
  for (let r = 1; remaining.length > 0; r++) {
    if (r > maxRank) {
      for (const i of remaining) rank[i] = r;
      break;
    }
    markFirstFront(cols, mark, remaining);
    const front = remaining.filter((i) => mark[i] === 1);
    for (const i of front) rank[i] = r;
    assignCrowding(cols, front, crowding);
    remaining = remaining.filter((i) => mark[i] === 0);
  }
  return { rank, crowding, excluded };
}

/** Per objective: boundaries get Infinity, inner points the normalised gap between neighbours. */
function assignCrowding(cols: readonly Float64Array[], front: Uint32Array, out: Float64Array): void {
  for (const i of front) out[i] = 0;
  if (front.length <= 2) {
    for (const i of front) out[i] = Infinity;
    return;
  }
  for (const col of cols) {
    const sorted = Array.from(front).sort((a, b) => (col[a] as number) - (col[b] as number) || a - b);
    const first = sorted[0] as number;
    const last = sorted[sorted.length - 1] as number;
    const span = (col[last] as number) - (col[first] as number);
    out[first] = Infinity;
    out[last] = Infinity;
    // A flat objective separates nothing, so it adds nothing (and avoids 0/0).
    if (span === 0) continue;
    for (let j = 1; j < sorted.length - 1; j++) {
      const i = sorted[j] as number;
      const gap = (col[sorted[j + 1] as number] as number) - (col[sorted[j - 1] as number] as number);
      out[i] = (out[i] as number) + gap / span;
    }
  }
}
