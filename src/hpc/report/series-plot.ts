/**
 * Time series of one run as small inline SVG line plots: the workload level from `series.json`
 * (busy cores and GPUs as fractions of the cluster, queued jobs) and, for real runs, the host
 * level from `hosts.arrow` and the scheduler level from `scheduler.arrow` when present.
 */
import { escapeHtml } from './escape-html.js';
import { axesSvg, paddedRange, scales, type PlotBox } from './plot-axes.js';

/** One line: values `v` at times `t` (s), drawn as steps (each value holds until the next sample). */
export interface Line {
  label: string;
  colour: string;
  t: readonly number[];
  v: readonly number[];
}

/** A plot of lines over time. */
export interface LinePlot {
  title: string;
  /** Axis title including its unit, e.g. `busy (fraction)`. */
  yTitle: string;
  bounds: { lo?: number; hi?: number };
  lines: Line[];
  /** `data-kind` of the figure, for tests and styling: `workload`, `host`, `scheduler`. */
  kind: string;
}

const BOX: PlotBox = { w: 330, h: 200, left: 58, right: 10, top: 10, bottom: 42 };
const MAX_STEPS = 400;

/** Keeps at most MAX_STEPS samples (evenly strided, last kept) so a long trace stays a small page. */
function thin(t: readonly number[], v: readonly number[]): [number[], number[]] {
  const n = Math.min(t.length, v.length);
  if (n <= MAX_STEPS) return [t.slice(0, n), v.slice(0, n)];
  const step = n / MAX_STEPS;
  const idx: number[] = [];
  for (let k = 0; k < MAX_STEPS; k++) idx.push(Math.floor(k * step));
  idx.push(n - 1);
  return [idx.map((i) => t[i] as number), idx.map((i) => v[i] as number)];
}

/** Renders a line plot; time is shown in hours when the run is longer than two hours. */
export function renderLinePlot(plot: LinePlot): string {
  const lines = plot.lines.map((l) => ({ ...l, pts: thin(l.t, l.v) }));
  const tMax = Math.max(0, ...lines.flatMap((l) => l.pts[0]));
  const hours = tMax > 7200;
  const tScale = hours ? 1 / 3600 : 1;
  const xr: [number, number] = [0, tMax * tScale || 1];
  const yr = paddedRange(lines.flatMap((l) => l.pts[1]), plot.bounds);
  const { sx, sy } = scales(BOX, xr, yr);
  const f = (x: number): string => x.toFixed(1);
  const paths = lines.map((l) => {
    const [ts, vs] = l.pts;
    let d = '';
    ts.forEach((t, i) => {
      const x = f(sx(t * tScale));
      const y = f(sy(vs[i] as number));
      d += i === 0 ? `M${x},${y}` : `H${x}V${y}`;
    });
    return `<path class="series" fill="none" stroke="${l.colour}" stroke-width="1.5" d="${d}"><title>${escapeHtml(l.label)}</title></path>`;
  });
  const legend = lines.length > 1 ? `<figcaption class="series-legend">${lines.map((l) => `<span><i style="background:${l.colour}"></i>${escapeHtml(l.label)}</span>`).join(' ')}</figcaption>` : '';
  const svg = `<svg viewBox="0 0 ${BOX.w} ${BOX.h}" width="${BOX.w}" height="${BOX.h}" role="img" aria-label="${escapeHtml(plot.title)}">${axesSvg(BOX, xr, yr, hours ? 'time (h)' : 'time (s)', plot.yTitle)}${paths.join('')}</svg>`;
  return `<figure class="series-plot" data-kind="${escapeHtml(plot.kind)}"><figcaption class="series-title">${escapeHtml(plot.title)}</figcaption>${svg}${legend}</figure>`;
}
