/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Compact number formatting for tables and axis ticks: 4 significant digits, no exponent below 1e6. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** `mean ± ci95`; the mean alone where there is no interval (a single repetition). */
export function formatMeanCi(m: { mean: number; ci95: number }): string {
  return Number.isFinite(m.ci95) ? `${formatNumber(m.mean)} ± ${formatNumber(m.ci95)}` : formatNumber(m.mean);
}
