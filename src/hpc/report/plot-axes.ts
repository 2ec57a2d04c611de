/** Axis ranges, ticks and frame shared by the scatter and time-series plots. */
import { escapeHtml, formatNumber } from './escape-html.js';

/** Plot box geometry in SVG units. */
export interface PlotBox {
  w: number;
  h: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** About five round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= 6) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** [lo, hi] of the values padded by 5%, then cut to the metric's bounds so a fraction never reaches 1.2. */
export function paddedRange(values: readonly number[], bounds: { lo?: number; hi?: number }): [number, number] {
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const pad = (hi - lo) * 0.05;
  lo = Math.max(bounds.lo ?? -Infinity, lo - pad);
  hi = Math.min(bounds.hi ?? Infinity, hi + pad);
  return lo < hi ? [lo, hi] : [lo, lo + 1];
}

/** Scales from data to SVG coordinates. */
export function scales(box: PlotBox, [x0, x1]: [number, number], [y0, y1]: [number, number]) {
  return {
    sx: (v: number): number => box.left + ((v - x0) / (x1 - x0)) * (box.w - box.left - box.right),
    sy: (v: number): number => box.h - box.bottom - ((v - y0) / (y1 - y0)) * (box.h - box.top - box.bottom),
  };
}

/** Grid, tick labels, frame and both axis titles. */
export function axesSvg(box: PlotBox, xr: [number, number], yr: [number, number], xTitle: string, yTitle: string): string {
  const { sx, sy } = scales(box, xr, yr);
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  for (const t of ticks(xr[0], xr[1])) {
    parts.push(`<line class="grid" x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${box.top}" y2="${box.h - box.bottom}"/><text class="tick" x="${f(sx(t))}" y="${box.h - box.bottom + 16}" text-anchor="middle">${formatNumber(t)}</text>`);
  }
  for (const t of ticks(yr[0], yr[1])) {
    parts.push(`<line class="grid" x1="${box.left}" x2="${box.w - box.right}" y1="${f(sy(t))}" y2="${f(sy(t))}"/><text class="tick" x="${box.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${formatNumber(t)}</text>`);
  }
  parts.push(`<rect class="frame" x="${box.left}" y="${box.top}" width="${box.w - box.left - box.right}" height="${box.h - box.top - box.bottom}"/>`);
  parts.push(`<text class="axis x-axis" x="${(box.left + box.w - box.right) / 2}" y="${box.h - 8}" text-anchor="middle">${escapeHtml(xTitle)}</text>`);
  parts.push(`<text class="axis y-axis" transform="translate(15 ${(box.top + box.h - box.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yTitle)}</text>`);
  return parts.join('');
}
