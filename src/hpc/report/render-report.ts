/**
 * The self-contained HTML report: one file with inline CSS, JS and SVG, no network access, so it
 * can be mailed round and opened offline.
 */
import { rankPoints, type Objective, type Ranking } from '../pareto/rank-points.js';
import type { SweepMetricsRow } from '../results/metrics-table.js';
import { escapeHtml, formatMeanCi, formatNumber } from './escape-html.js';
import { REPORT_CSS, REPORT_JS } from './report-assets.js';
import { renderScatterPlot, type PlotPoint } from './scatter-plot.js';

/** Where the numbers came from. */
export interface Provenance {
  toolVersion: string;
  /** ISO date of the report. */
  date: string;
  /** Free-form extra lines, e.g. the command line or seed. */
  notes?: string[];
}

/** Everything the report shows; the renderer computes ranks itself. */
export interface ReportInput {
  title?: string;
  points: readonly SweepMetricsRow[];
  objectives: readonly Objective[];
  /** Metric name -> definition text, as the metrics module states it. */
  definitions: Readonly<Record<string, string>>;
  provenance: Provenance;
}

/** Ranks sweep points on their mean objective values. */
export function rankSweepPoints(points: readonly SweepMetricsRow[], objectives: readonly Objective[]): Ranking {
  const rows = points.map((p) => Object.fromEntries(Object.entries(p.metrics).map(([k, v]) => [k, v.mean])));
  return rankPoints(rows, objectives);
}

function plots(input: ReportInput, ranking: Ranking): string {
  const { objectives, points } = input;
  const out: string[] = [];
  for (let a = 0; a < objectives.length; a++) {
    for (let b = a + 1; b < objectives.length; b++) {
      const xo = objectives[a] as Objective;
      const yo = objectives[b] as Objective;
      const pp: PlotPoint[] = points.map((p, i) => ({ id: p.pointId, rank: ranking.rank[i] ?? 0, x: p.metrics[xo.metric], y: p.metrics[yo.metric] }));
      out.push(renderScatterPlot(xo, yo, pp));
    }
  }
  return out.join('\n');
}

function cell(text: string, sort: string | number, numeric = false): string {
  return `<td${numeric ? ' class="num"' : ''} data-sort="${escapeHtml(String(sort))}">${text}</td>`;
}

function pointsTable(input: ReportInput, ranking: Ranking): string {
  const configKeys = [...new Set(input.points.flatMap((p) => Object.keys(p.config)))];
  const metricKeys = [...new Set(input.points.flatMap((p) => Object.keys(p.metrics)))];
  const head = ['rank', 'crowding', 'point', ...configKeys, ...metricKeys, 'config hash'];
  const order = input.points.map((_, i) => i).sort((a, b) => (ranking.rank[a] || 1e9) - (ranking.rank[b] || 1e9) || a - b);
  const rows = order.map((i) => {
    const p = input.points[i] as SweepMetricsRow;
    const rank = ranking.rank[i] ?? 0;
    const crowd = ranking.crowding[i] ?? 0;
    const cells = [
      rank === 0 ? cell('excluded', '') : cell(String(rank), rank, true),
      rank === 0 ? cell('', '') : cell(crowd === Infinity ? '∞' : formatNumber(crowd), crowd === Infinity ? 1e308 : crowd, true),
      cell(escapeHtml(p.pointId), p.pointId),
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
  const items = Object.entries(defs).map(([k, v]) => `<dt><code>${escapeHtml(k)}</code></dt><dd>${escapeHtml(v)}</dd>`);
  return `<dl>${items.join('')}</dl>`;
}

function provenance(input: ReportInput): string {
  const p = input.provenance;
  const hashes = [...new Set(input.points.map((x) => x.configHash))];
  const notes = (p.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  return `<ul><li>bench ${escapeHtml(p.toolVersion)}</li><li>generated ${escapeHtml(p.date)}</li>${notes}<li>${hashes.length} config hashes: ${hashes.map((h) => `<code>${escapeHtml(h)}</code>`).join(', ')}</li></ul>`;
}

/** Renders the whole report as one HTML string. */
export function renderReport(input: ReportInput): string {
  const ranking = rankSweepPoints(input.points, input.objectives);
  const title = input.title ?? 'bench — Pareto report';
  const front = Array.from(ranking.rank).filter((r) => r === 1).length;
  const objectiveText = input.objectives.map((o) => `${o.metric} (${o.direction})`).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="note">${input.points.length} sweep points; ${front} on the Pareto front over ${escapeHtml(objectiveText)}. Error bars are 95% confidence intervals over repetitions.</p>
<p class="legend"><span><i class="dot" style="background:#d1242f"></i>Pareto front (rank 1)</span><span><i class="dot" style="background:#c8ced6"></i>dominated</span><span><i class="dot" style="border:1px dashed #6e7781"></i>not ranked (a value is missing)</span></p>
<h2>Objectives, pairwise</h2><div class="plots">${plots(input, ranking)}</div>
<h2>All points</h2><p class="note">Click a column header to sort. Rank 1 is the front; crowding distance is computed within each front.</p>
${excludedNote(input, ranking)}${pointsTable(input, ranking)}
<h2>Metric definitions</h2>${definitionsList(input.definitions)}
<h2>Provenance</h2>${provenance(input)}
<script>${REPORT_JS}</script></body></html>
`;
}
