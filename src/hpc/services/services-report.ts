/**
 * `report:services`: per service, the latency–throughput curve over the client concurrencies
 * (one point per concurrency, repetitions averaged) as an inline SVG, and a table of every
 * figure. One self-contained HTML page (no scripts, no external files) and a text summary.
 */
import type { ClientMetrics } from './client-metrics.js';

export interface ServicePoint {
  service: string;
  client: string;
  concurrency: number;
  rep: number;
  metrics: ClientMetrics;
  granularity: 'request' | 'aggregate';
}

interface Averaged {
  concurrency: number;
  runs: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  errorRate: number;
  requests: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');

/** Repetitions of one concurrency averaged, in concurrency order. */
export function averageByConcurrency(points: readonly ServicePoint[]): Averaged[] {
  const by = new Map<number, ServicePoint[]>();
  for (const p of points) by.set(p.concurrency, [...(by.get(p.concurrency) ?? []), p]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([concurrency, ps]) => ({
    concurrency, runs: ps.length, throughput: mean(ps.map((p) => p.metrics.throughput_rps)),
    p50: mean(ps.map((p) => p.metrics.latency_p50_ms)), p95: mean(ps.map((p) => p.metrics.latency_p95_ms)), p99: mean(ps.map((p) => p.metrics.latency_p99_ms)),
    errorRate: mean(ps.map((p) => p.metrics.error_rate)), requests: ps.reduce((s, p) => s + p.metrics.requests, 0),
  }));
}

const SERIES = [['p50', '#1f77b4'], ['p95', '#ff7f0e'], ['p99', '#d62728']] as const;

/** The curve: x = throughput (requests/s), y = latency (ms), a line per percentile, labelled by concurrency. */
function curveSvg(rows: readonly Averaged[]): string {
  const W = 640, H = 360, L = 70, R = 20, T = 20, B = 50;
  const xs = rows.map((r) => r.throughput).filter(Number.isFinite);
  const ys = rows.flatMap((r) => [r.p50, r.p95, r.p99]).filter(Number.isFinite);
  const xMax = Math.max(...xs, 1) * 1.1, yMax = Math.max(...ys, 0.001) * 1.1;
  const X = (v: number) => L + (v / xMax) * (W - L - R), Y = (v: number) => H - B - (v / yMax) * (H - T - B);
  const ticks = (max: number, to: (v: number) => string) => [0, 0.25, 0.5, 0.75, 1].map((f) => to(f * max));
  const parts = [
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
    ...ticks(xMax, (v) => `<text x="${X(v)}" y="${H - B + 18}" text-anchor="middle" font-size="12">${fmt(v, 0)}</text>`),
    ...ticks(yMax, (v) => `<text x="${L - 6}" y="${Y(v) + 4}" text-anchor="end" font-size="12">${fmt(v, 3)}</text>`),
    `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" font-size="13">throughput (requests/s)</text>`,
    `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle" font-size="13">latency (ms)</text>`,
  ];
  SERIES.forEach(([key, color], i) => {
    const pts = rows.filter((r) => Number.isFinite(r.throughput) && Number.isFinite(r[key]));
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((r) => `${X(r.throughput)},${Y(r[key])}`).join(' ')}"/>`);
    for (const r of pts) parts.push(`<circle cx="${X(r.throughput)}" cy="${Y(r[key])}" r="4" fill="${color}"><title>${key} ${fmt(r[key], 3)} ms at ${fmt(r.throughput, 0)} req/s, concurrency ${r.concurrency}</title></circle>`);
    if (key === 'p99') for (const r of pts) parts.push(`<text x="${X(r.throughput) + 6}" y="${Y(r[key]) - 6}" font-size="12">c=${r.concurrency}</text>`);
    parts.push(`<rect x="${L + 12}" y="${T + i * 18}" width="12" height="12" fill="${color}"/><text x="${L + 30}" y="${T + i * 18 + 11}" font-size="12">${key}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="latency against throughput">${parts.join('')}</svg>`;
}

/** One service's part of a report: the curve, a note on how its percentiles were had, the table and text lines. */
export interface ServiceBlock {
  service: string;
  client: string;
  svg: string;
  note: string;
  table: string;
  text: string[];
}

/** A block per service (sorted by name), shared by the services page and the main report's section. */
export function serviceBlocks(points: readonly ServicePoint[]): ServiceBlock[] {
  return [...new Set(points.map((p) => p.service))].sort().map((service) => {
    const own = points.filter((p) => p.service === service);
    const rows = averageByConcurrency(own);
    const client = own[0]?.client ?? '';
    const note = own[0]?.granularity === 'aggregate' ? `${client} reports per-test or per-run summaries, not single requests: percentiles are its own (averaged over tests where there are several).` : 'Percentiles over every request.';
    const body = rows.map((r) => `<tr><td>${r.concurrency}</td><td>${r.runs}</td><td>${r.requests}</td><td>${fmt(r.throughput, 0)}</td><td>${fmt(r.p50, 3)}</td><td>${fmt(r.p95, 3)}</td><td>${fmt(r.p99, 3)}</td><td>${fmt(r.errorRate * 100, 2)}</td></tr>`).join('');
    const table = `<table><thead><tr><th>concurrency</th><th>runs</th><th>requests</th><th>throughput (req/s)</th><th>p50 (ms)</th><th>p95 (ms)</th><th>p99 (ms)</th><th>errors (%)</th></tr></thead><tbody>${body}</tbody></table>`;
    const text = [`${service} (client ${client})`, ...rows.map((r) => `  concurrency ${String(r.concurrency).padStart(4)}: ${fmt(r.throughput, 0).padStart(8)} req/s  p50 ${fmt(r.p50, 3)} ms  p95 ${fmt(r.p95, 3)} ms  p99 ${fmt(r.p99, 3)} ms  errors ${fmt(r.errorRate * 100, 2)}%`)];
    return { service, client, svg: curveSvg(rows), note, table, text };
  });
}

/** The HTML page and a text summary, one section per service. */
export function buildServicesReport(points: readonly ServicePoint[], provenance: { date: string; command: string }): { html: string; text: string } {
  const blocks = serviceBlocks(points);
  const sections = blocks.map((b) => `<section><h2>${esc(b.service)} <small>(client ${esc(b.client)})</small></h2>${b.svg}<p class="note">${esc(b.note)}</p>${b.table}</section>`);
  const text = blocks.flatMap((b) => b.text);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench: services, latency against throughput</title><style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
.note{color:#555;font-size:.9em}small{color:#666;font-weight:normal}</style></head><body><h1>Services: latency against throughput</h1>
<p>One point per client concurrency (repetitions averaged). Throughput = requests / time the load ran; latency percentiles in ms; error rate = failed / all requests.</p>
${sections.join('\n') || '<p>No service runs.</p>'}
<footer class="note">${esc(provenance.date)} · <code>${esc(provenance.command)}</code></footer></body></html>
`;
  return { html, text: `${text.join('\n')}\n` };
}
