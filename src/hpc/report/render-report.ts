/**
 * The self-contained HTML report: one file with inline CSS, JS and SVG, no network access, so it
 * can be mailed round and opened offline. Points are compared within groups (by default one per
 * workload): each group gets its own front, plots, best-configurations table, verdicts and time
 * series.
 */
import type { Objective, Ranking } from '../pareto/rank-points.js';
import type { SweepMetricsRow } from '../results/metrics-table.js';
import { frontOf, renderBestTable, verdictLines } from './best-configurations.js';
import { renderCaveats } from './caveats-section.js';
import { escapeHtml, formatMeanCi, formatNumber } from './escape-html.js';
import { groupPoints, rankWithinGroups, type PointGroup } from './group-fronts.js';
import { metricUnit, objectiveTitle } from './metric-units.js';
import { runKind, type PointRuns } from './point-runs.js';
import { makePlotStyle, renderLegend, type PlotStyle, type RunKind } from './plot-style.js';
import { REPORT_CSS, REPORT_JS } from './report-assets.js';
import { renderScatterPlot, type PlotPoint } from './scatter-plot.js';
import { renderTimeSeries } from './time-series-section.js';

/** Where the numbers came from. */
export interface Provenance {
  toolVersion: string;
  /** ISO date of the report. */
  date: string;
  seed?: number | string;
  /** The command line that produced the report. */
  command?: string;
  /** The project's git commit (with `-dirty` when the tree had changes), if known. */
  commit?: string;
  /** Tool name -> version (node, SLURM, ...). */
  versions?: Record<string, string>;
  /** Free-form extra lines. */
  notes?: string[];
}

/** Everything the report shows; the renderer computes ranks itself. */
export interface ReportInput {
  title?: string;
  points: readonly SweepMetricsRow[];
  /** Objectives including the cost objective, if any. */
  objectives: readonly Objective[];
  /** Config columns whose values group points into separate fronts; default `['workload']`. */
  groupBy?: readonly string[];
  /** Metric name -> definition text, as the metrics module states it. */
  definitions: Readonly<Record<string, string>>;
  provenance: Provenance;
  /** Per point id: backend, caveats and time series. */
  runs?: Readonly<Record<string, PointRuns>>;
}

/** Default grouping: makespans of different workloads measure different work. */
export const DEFAULT_GROUP_BY: readonly string[] = ['workload'];

/** Groups the points and ranks each group on its own. */
export function rankSweepPoints(points: readonly SweepMetricsRow[], objectives: readonly Objective[], groupBy: readonly string[] = DEFAULT_GROUP_BY): { groups: PointGroup[]; ranking: Ranking } {
  const groups = groupPoints(points, groupBy);
  return { groups, ranking: rankWithinGroups(points, objectives, groups) };
}

const str = (v: unknown): string => (v === undefined ? '' : String(v));

function runKindOf(points: readonly SweepMetricsRow[], runs: Readonly<Record<string, PointRuns>>): (scheduler: string) => RunKind {
  return (scheduler) => {
    const kinds = new Set(points.filter((p) => str(p.config['scheduler']) === scheduler).map((p) => runKind(runs[p.pointId]?.provider)));
    return kinds.size > 1 ? 'real + simulated' : kinds.has('real') ? 'real' : 'simulated';
  };
}

/** Plots of the first objective against each other one, within a group. */
function groupPlots(input: ReportInput, ranking: Ranking, g: PointGroup, style: PlotStyle): string {
  const [xo, ...rest] = input.objectives;
  if (!xo) return '';
  const runs = input.runs ?? {};
  const pp = (yo: Objective): PlotPoint[] => g.indices.map((i) => {
    const p = input.points[i] as SweepMetricsRow;
    return { id: p.pointId, rank: ranking.rank[i] ?? 0, scheduler: str(p.config['scheduler']), topology: str(p.config['topology']), run: runKind(runs[p.pointId]?.provider), x: p.metrics[xo.metric], y: p.metrics[yo.metric] };
  });
  return rest.map((yo) => renderScatterPlot(xo, yo, pp(yo), style)).join('');
}

function groupSection(input: ReportInput, ranking: Ranking, g: PointGroup, style: PlotStyle, k: number): string {
  const runs = input.runs ?? {};
  const front = frontOf(input.points, ranking, g, input.objectives);
  const verdicts = verdictLines(input.points, g, input.objectives).map((l) => `<li>${escapeHtml(l)}</li>`).join('');
  const kinds = runKindOf(input.points.filter((_, i) => g.indices.includes(i)), runs);
  return `<section class="group" id="group-${k}" data-group="${escapeHtml(g.label)}">
<h2>${escapeHtml(g.label)}</h2>
<p class="note">${g.indices.length} points; ${front.length} on this group's Pareto front over ${escapeHtml(input.objectives.map(objectiveTitle).join(', '))}.</p>
${renderLegend(style, kinds)}
<h3>Objectives against ${escapeHtml(input.objectives[0]?.metric ?? '')}</h3><div class="plots">${groupPlots(input, ranking, g, style)}</div>
<h3>Best configurations</h3>${renderBestTable({ points: input.points, front, objectives: input.objectives, runs, skip: input.groupBy ?? DEFAULT_GROUP_BY })}
<h3>Can the leaders be told apart?</h3><ul class="verdicts">${verdicts}</ul>
<h3>Over time</h3><div class="series">${renderTimeSeries(input.points, g.indices, runs)}</div>
</section>`;
}

function cell(text: string, sort: string | number, numeric = false): string {
  return `<td${numeric ? ' class="num"' : ''} data-sort="${escapeHtml(String(sort))}">${text}</td>`;
}

function pointsTable(input: ReportInput, ranking: Ranking, groups: PointGroup[]): string {
  const runs = input.runs ?? {};
  const groupOf = new Map(groups.flatMap((g) => g.indices.map((i) => [i, g.label] as const)));
  const configKeys = [...new Set(input.points.flatMap((p) => Object.keys(p.config)))];
  const metricKeys = [...new Set(input.points.flatMap((p) => Object.keys(p.metrics)))];
  const obj = new Map(input.objectives.map((o) => [o.metric, o]));
  const head = ['group', 'rank in group', 'crowding', 'point', 'ran', ...configKeys, ...metricKeys.map((m) => (obj.has(m) ? objectiveTitle(obj.get(m) as Objective) : `${m} (${metricUnit(m).unit})`)), 'config hash'];
  const order = input.points.map((_, i) => i).sort((a, b) => str(groupOf.get(a)).localeCompare(str(groupOf.get(b))) || (ranking.rank[a] || 1e9) - (ranking.rank[b] || 1e9) || a - b);
  const rows = order.map((i) => {
    const p = input.points[i] as SweepMetricsRow;
    const rank = ranking.rank[i] ?? 0;
    const crowd = ranking.crowding[i] ?? 0;
    const kind = runKind(runs[p.pointId]?.provider);
    const cells = [
      cell(escapeHtml(str(groupOf.get(i))), str(groupOf.get(i))),
      rank === 0 ? cell('excluded', '') : cell(String(rank), rank, true),
      rank === 0 ? cell('', '') : cell(crowd === Infinity ? '∞' : formatNumber(crowd), crowd === Infinity ? 1e308 : crowd, true),
      cell(escapeHtml(p.pointId), p.pointId),
      cell(`<span class="run-${kind}" data-run="${kind}">${kind}</span>`, kind),
      ...configKeys.map((k) => {
        const v = p.config[k];
        return v === undefined ? cell('', '') : cell(escapeHtml(String(v)), typeof v === 'number' ? v : String(v), typeof v === 'number');
      }),
      ...metricKeys.map((k) => {
        const m = p.metrics[k];
        return m === undefined || !Number.isFinite(m.mean) ? cell('—', '') : cell(formatMeanCi(m), m.mean, true);
      }),
      cell(`<code>${escapeHtml(p.configHash.slice(0, 12))}</code>`, p.configHash),
    ];
    return `<tr class="${rank === 1 ? 'front' : ''}" data-point="${escapeHtml(p.pointId)}">${cells.join('')}</tr>`;
  });
  return `<table id="points"><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function excludedNote(input: ReportInput, ranking: Ranking): string {
  if (ranking.excluded.length === 0) return '';
  const items = ranking.excluded.map((e) => `<li>${escapeHtml(input.points[e.index]?.pointId ?? String(e.index))}: ${escapeHtml(e.metric)} is ${e.reason === 'missing' ? 'missing' : 'not a finite number'}</li>`);
  return `<p class="note">Not ranked (shown as “excluded”):</p><ul>${items.join('')}</ul>`;
}

function definitionsList(defs: Readonly<Record<string, string>>): string {
  const items = Object.entries(defs).map(([k, v]) => `<dt><code>${escapeHtml(k)}</code> (${escapeHtml(metricUnit(k).unit)})</dt><dd>${escapeHtml(v)}</dd>`);
  return `<dl>${items.join('')}</dl>`;
}

function provenance(input: ReportInput): string {
  const p = input.provenance;
  const li = (label: string, v: string | undefined): string => (v === undefined ? '' : `<li>${label}: <code>${escapeHtml(v)}</code></li>`);
  const versions = Object.entries(p.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  const hashes = [...new Set(input.points.map((x) => x.configHash))];
  const notes = (p.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  return `<ul id="provenance"><li>bench ${escapeHtml(p.toolVersion)}</li><li>generated ${escapeHtml(p.date)}</li>${li('command', p.command)}${li('seed', p.seed === undefined ? undefined : String(p.seed))}${li('commit', p.commit)}${li('tool versions', versions || undefined)}${notes}<li>${hashes.length} config hashes: ${hashes.map((h) => `<code>${escapeHtml(h.slice(0, 12))}</code>`).join(', ')}</li></ul>`;
}

/** Renders the whole report as one HTML string. */
export function renderReport(input: ReportInput): string {
  const groupBy = input.groupBy ?? DEFAULT_GROUP_BY;
  const { groups, ranking } = rankSweepPoints(input.points, input.objectives, groupBy);
  const style = makePlotStyle(input.points.map((p) => str(p.config['scheduler'])), input.points.map((p) => str(p.config['topology'])));
  const title = input.title ?? 'bench — Pareto report';
  const runs = input.runs ?? {};
  const kinds = new Set(input.points.map((p) => runKind(runs[p.pointId]?.provider)));
  const front = Array.from(ranking.rank).filter((r) => r === 1).length;
  const toc = groups.map((g, k) => `<a href="#group-${k}">${escapeHtml(g.label)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="note">${input.points.length} sweep points in ${groups.length} group(s) by ${escapeHtml(groupBy.join(', ') || 'nothing')}; fronts are computed within each group (${front} points on a front) over ${escapeHtml(input.objectives.map(objectiveTitle).join(', '))}. ↓ minimise, ↑ maximise. Bars are 95% confidence intervals over repetitions. Runs: ${[...kinds].join(' and ')}.</p>
<nav class="toc">${toc} · <a href="#caveats">caveats</a> · <a href="#all-points">all points</a> · <a href="#provenance">provenance</a></nav>
${renderCaveats(input.points, runs)}
${groups.map((g, k) => groupSection(input, ranking, g, style, k)).join('\n')}
<h2 id="all-points">All points</h2><p class="note">Click a column header to sort. Rank 1 is the group's front; crowding distance is computed within each front.</p>
${excludedNote(input, ranking)}${pointsTable(input, ranking, groups)}
<h2>Metric definitions</h2>${definitionsList(input.definitions)}
<h2>Provenance</h2>${provenance(input)}
<script>${REPORT_JS}</script></body></html>
`;
}
