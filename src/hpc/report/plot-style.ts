/**
 * One visual vocabulary for every plot of a report: colour by scheduler, marker shape by
 * topology, filled marks on the front and open marks off it, and one legend that says so —
 * including which schedulers ran for real and which were simulated.
 */
import { escapeHtml } from './escape-html.js';

// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'] as const;
export type MarkerShape = (typeof SHAPES)[number];

/** The scheduler and topology values present, in a stable order, and their colour and shape. */
export interface PlotStyle {
  colour(scheduler: string): string;
  shape(topology: string): MarkerShape;
  schedulers: string[];
  topologies: string[];
}

/** Assigns colours and shapes in the order the values first appear. */
export function makePlotStyle(schedulers: readonly string[], topologies: readonly string[]): PlotStyle {
  const s = [...new Set(schedulers)];
  const t = [...new Set(topologies)];
  return {
    schedulers: s,
    topologies: t,
    colour: (v) => COLOURS[Math.max(0, s.indexOf(v)) % COLOURS.length] as string,
    shape: (v) => SHAPES[Math.max(0, t.indexOf(v)) % SHAPES.length] as MarkerShape,
  };
}

/** SVG for a marker centred at (x, y) with radius `r`; attributes are appended verbatim. */
export function markerSvg(shape: MarkerShape, x: number, y: number, r: number, attrs: string): string {
  const f = (v: number): string => v.toFixed(1);
  const poly = (pts: [number, number][]): string => `<polygon points="${pts.map(([a, b]) => `${f(a)},${f(b)}`).join(' ')}" ${attrs}/>`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" ${attrs}/>`;
    case 'square':
      return `<rect x="${f(x - r * 0.85)}" y="${f(y - r * 0.85)}" width="${f(r * 1.7)}" height="${f(r * 1.7)}" ${attrs}/>`;
    case 'triangle':
      return poly([[x, y - r * 1.1], [x + r, y + r * 0.75], [x - r, y + r * 0.75]]);
    case 'diamond':
      return poly([[x, y - r * 1.2], [x + r, y], [x, y + r * 1.2], [x - r, y]]);
    case 'cross': {
      const a = r * 0.35;
      return poly([[x - a, y - r], [x + a, y - r], [x + a, y - a], [x + r, y - a], [x + r, y + a], [x + a, y + a], [x + a, y + r], [x - a, y + r], [x - a, y + a], [x - r, y + a], [x - r, y - a], [x - a, y - a]]);
    }
    case 'star': {
      const pts: [number, number][] = [];
      for (let k = 0; k < 10; k++) {
        const rr = k % 2 === 0 ? r * 1.2 : r * 0.5;
        const ang = -Math.PI / 2 + (k * Math.PI) / 5;
        pts.push([x + rr * Math.cos(ang), y + rr * Math.sin(ang)]);
      }
      return poly(pts);
    }
    default:
      return unreachable(shape);
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown marker shape ${String(x)}`);
}

/** Which backends a scheduler's points ran on: `simulated`, `real`, or both. */
export type RunKind = 'simulated' | 'real' | 'real + simulated';

/** The legend: colour per scheduler (with how it ran), shape per topology, filled = front. */
export function renderLegend(style: PlotStyle, runKind: (scheduler: string) => RunKind): string {
  const swatch = (c: string, shape: MarkerShape, filled: boolean): string =>
    `<svg class="swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">${markerSvg(shape, 8, 8, 5.5, `fill="${filled ? c : '#fff'}" stroke="${c}" stroke-width="2"`)}</svg>`;
  const sched = style.schedulers.map((s) => `<span class="legend-item" data-legend="scheduler" data-value="${escapeHtml(s)}" data-run="${runKind(s)}">${swatch(style.colour(s), 'circle', true)}${escapeHtml(s)} <em>(${runKind(s)})</em></span>`);
  const topo = style.topologies.map((t) => `<span class="legend-item" data-legend="topology" data-value="${escapeHtml(t)}">${swatch('#444', style.shape(t), true)}${escapeHtml(t)}</span>`);
  const front = `<span class="legend-item">${swatch('#444', 'circle', true)}on the front</span><span class="legend-item">${swatch('#444', 'circle', false)}dominated</span>`;
  return `<div class="legend"><div><strong>scheduler</strong> ${sched.join('')}</div><div><strong>topology</strong> ${topo.join('')}</div><div><strong>mark</strong> ${front} <span class="legend-item">bars: 95% CI, cut at the metric's bounds</span></div></div>`;
}
