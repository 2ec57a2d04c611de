/** One inline SVG scatter plot of two objectives, with 95% CI error bars and the front marked. */
import type { Objective } from '../pareto/rank-points.js';
import { escapeHtml, formatMeanCi, formatNumber } from './escape-html.js';

/** A point as the plot needs it. */
export interface PlotPoint {
  id: string;
  rank: number;
  x: { mean: number; ci95: number } | undefined;
  y: { mean: number; ci95: number } | undefined;
}

const W = 420;
const H = 320;
const M = { left: 64, right: 16, top: 28, bottom: 48 };

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= 6) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Data extent including error bars, padded so marks do not sit on the frame. */
function extent(values: { mean: number; ci95: number }[]): [number, number] {
  const ci = (c: number): number => (Number.isFinite(c) ? c : 0);
  let lo = Math.min(...values.map((v) => v.mean - ci(v.ci95)));
  let hi = Math.max(...values.map((v) => v.mean + ci(v.ci95)));
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

function axisLabel(o: Objective): string {
  return `${o.metric} (${o.direction === 'min' ? 'lower' : 'higher'} is better)`;
}

/** Renders the plot; points missing either value are left out and counted in the caption. */
export function renderScatterPlot(xo: Objective, yo: Objective, points: readonly PlotPoint[]): string {
  const shown = points.filter((p): p is PlotPoint & { x: NonNullable<PlotPoint['x']>; y: NonNullable<PlotPoint['y']> } =>
    p.x !== undefined && p.y !== undefined && Number.isFinite(p.x.mean) && Number.isFinite(p.y.mean));
  const missing = points.length - shown.length;
  const [x0, x1] = shown.length ? extent(shown.map((p) => p.x)) : [0, 1];
  const [y0, y1] = shown.length ? extent(shown.map((p) => p.y)) : [0, 1];
  const sx = (v: number): number => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
  const sy = (v: number): number => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  for (const t of ticks(x0, x1)) {
    parts.push(`<line class="grid" x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${M.top}" y2="${H - M.bottom}"/><text class="tick" x="${f(sx(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${formatNumber(t)}</text>`);
  }
  for (const t of ticks(y0, y1)) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(sy(t))}" y2="${f(sy(t))}"/><text class="tick" x="${M.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${formatNumber(t)}</text>`);
  }
  parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/>`);
  parts.push(`<text class="axis" x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">${escapeHtml(axisLabel(xo))}</text>`);
  parts.push(`<text class="axis" transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(axisLabel(yo))}</text>`);
  // Dominated points first so front marks are drawn on top.
  const ordered = [...shown].sort((a, b) => (b.rank === 1 ? 0 : 1) - (a.rank === 1 ? 0 : 1));
  for (const p of ordered) {
    const cx = sx(p.x.mean);
    const cy = sy(p.y.mean);
    const front = p.rank === 1;
    const bars: string[] = [];
    if (Number.isFinite(p.x.ci95) && p.x.ci95 > 0) bars.push(`<line class="ci" x1="${f(sx(p.x.mean - p.x.ci95))}" x2="${f(sx(p.x.mean + p.x.ci95))}" y1="${f(cy)}" y2="${f(cy)}"/>`);
    if (Number.isFinite(p.y.ci95) && p.y.ci95 > 0) bars.push(`<line class="ci" x1="${f(cx)}" x2="${f(cx)}" y1="${f(sy(p.y.mean - p.y.ci95))}" y2="${f(sy(p.y.mean + p.y.ci95))}"/>`);
    const tip = `${p.id} (rank ${p.rank})\n${xo.metric} ${formatMeanCi(p.x)}\n${yo.metric} ${formatMeanCi(p.y)}`;
    parts.push(`<g class="point${front ? ' front' : ''}">${bars.join('')}<circle class="mark${front ? ' front' : p.rank === 0 ? ' unranked' : ''}" data-point="${escapeHtml(p.id)}" data-rank="${p.rank}" cx="${f(cx)}" cy="${f(cy)}" r="${front ? 6 : 4.5}"><title>${escapeHtml(tip)}</title></circle></g>`);
  }
  const caption = `${escapeHtml(yo.metric)} vs ${escapeHtml(xo.metric)}${missing ? ` — ${missing} point(s) without both values not shown` : ''}`;
  return `<figure class="plot" data-x="${escapeHtml(xo.metric)}" data-y="${escapeHtml(yo.metric)}"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${caption}">${parts.join('')}</svg><figcaption>${caption}</figcaption></figure>`;
}
