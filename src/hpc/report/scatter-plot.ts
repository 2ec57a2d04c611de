/**
 * One inline SVG scatter plot of two objectives within one group of points: colour by
 * scheduler, shape by topology, filled marks on the group's front, 95% CI bars cut at the
 * metric's bounds, and axis titles with units and the better direction.
 */
import type { Objective } from '../pareto/rank-points.js';
import { escapeHtml, formatMeanCi } from './escape-html.js';
import { clippedInterval, metricUnit, objectiveTitle } from './metric-units.js';
import { axesSvg, paddedRange, scales, type PlotBox } from './plot-axes.js';
import { markerSvg, type PlotStyle } from './plot-style.js';

/** A point as the plot needs it. */
export interface PlotPoint {
  id: string;
  rank: number;
  scheduler: string;
  topology: string;
  /** Simulated or real run, shown in the tooltip. */
  run: string;
  x: { mean: number; ci95: number } | undefined;
  y: { mean: number; ci95: number } | undefined;
}

const BOX: PlotBox = { w: 400, h: 320, left: 70, right: 14, top: 16, bottom: 50 };

type Shown = PlotPoint & { x: NonNullable<PlotPoint['x']>; y: NonNullable<PlotPoint['y']> };

/** Renders the plot; points missing either value are left out and counted in the caption. */
export function renderScatterPlot(xo: Objective, yo: Objective, points: readonly PlotPoint[], style: PlotStyle): string {
  const shown = points.filter((p): p is Shown => p.x !== undefined && p.y !== undefined && Number.isFinite(p.x.mean) && Number.isFinite(p.y.mean));
  const missing = points.length - shown.length;
  const xr = paddedRange(shown.flatMap((p) => clippedInterval(xo.metric, p.x)), metricUnit(xo.metric));
  const yr = paddedRange(shown.flatMap((p) => clippedInterval(yo.metric, p.y)), metricUnit(yo.metric));
  const { sx, sy } = scales(BOX, xr, yr);
  const f = (v: number): string => v.toFixed(1);
  const parts = [axesSvg(BOX, xr, yr, objectiveTitle(xo), objectiveTitle(yo))];
  // Dominated points first so front marks are drawn on top.
  const ordered = [...shown].sort((a, b) => (b.rank === 1 ? 0 : 1) - (a.rank === 1 ? 0 : 1));
  for (const p of ordered) {
    const cx = sx(p.x.mean);
    const cy = sy(p.y.mean);
    const front = p.rank === 1;
    const colour = style.colour(p.scheduler);
    const [xa, xb] = clippedInterval(xo.metric, p.x);
    const [ya, yb] = clippedInterval(yo.metric, p.y);
    const bars = [
      xb > xa ? `<line class="ci" stroke="${colour}" x1="${f(sx(xa))}" x2="${f(sx(xb))}" y1="${f(cy)}" y2="${f(cy)}"/>` : '',
      yb > ya ? `<line class="ci" stroke="${colour}" x1="${f(cx)}" x2="${f(cx)}" y1="${f(sy(ya))}" y2="${f(sy(yb))}"/>` : '',
    ];
    const tip = `${p.id} (${p.run}; ${p.rank === 0 ? 'not ranked' : `rank ${p.rank}`})\n${xo.metric} ${formatMeanCi(p.x)} ${metricUnit(xo.metric).unit}\n${yo.metric} ${formatMeanCi(p.y)} ${metricUnit(yo.metric).unit}`;
    const cls = `mark${front ? ' front' : p.rank === 0 ? ' unranked' : ''}`;
    const attrs = `class="${cls}" data-point="${escapeHtml(p.id)}" data-rank="${p.rank}" data-scheduler="${escapeHtml(p.scheduler)}" data-topology="${escapeHtml(p.topology)}" data-run="${escapeHtml(p.run)}" fill="${front ? colour : '#fff'}" stroke="${colour}" stroke-width="${front ? 2 : 1.6}"${p.rank === 0 ? ' stroke-dasharray="2 2"' : ''}`;
    parts.push(`<g class="point${front ? ' front' : ''}">${bars.join('')}${markerSvg(style.shape(p.topology), cx, cy, front ? 6.5 : 5, attrs).replace(/\/>$/, `><title>${escapeHtml(tip)}</title></${tagOf(style.shape(p.topology))}>`)}</g>`);
  }
  const caption = `${yo.metric} vs ${xo.metric}${missing ? ` — ${missing} point(s) without both values not shown` : ''}`;
  return `<figure class="plot" data-x="${escapeHtml(xo.metric)}" data-y="${escapeHtml(yo.metric)}"><svg viewBox="0 0 ${BOX.w} ${BOX.h}" width="${BOX.w}" height="${BOX.h}" role="img" aria-label="${escapeHtml(caption)}">${parts.join('')}</svg><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function tagOf(shape: string): string {
  return shape === 'circle' ? 'circle' : shape === 'square' ? 'rect' : 'polygon';
}
