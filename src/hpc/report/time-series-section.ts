/**
 * The "over time" part of a group: per point, utilization over time (busy cores and GPUs as
 * fractions of the cluster) and queued jobs from the first repetition's `series.json`; for real
 * runs the host level (CPU busy and memory per host, `hosts.arrow`) and the scheduler level
 * (`scheduler.arrow`) beside it, on the same time axis.
 */
import type { SweepMetricsRow } from '../results/metrics-table.js';
import { escapeHtml } from './escape-html.js';
import { runKind, type PointRuns } from './point-runs.js';
import { renderLinePlot, type Line } from './series-plot.js';

const HOST_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];

function workloadPlots(runs: PointRuns): string[] {
  const s = runs.series;
  if (!s) return [];
  const lines: Line[] = [];
  if (runs.totalCores) lines.push({ label: 'cores busy', colour: '#0072B2', t: s.t, v: s.busyCores.map((c) => c / (runs.totalCores as number)) });
  if (runs.totalGpus) lines.push({ label: 'GPUs busy', colour: '#D55E00', t: s.t, v: s.busyGpus.map((g) => g / (runs.totalGpus as number)) });
  const out = [];
  if (lines.length) out.push(renderLinePlot({ kind: 'utilization', title: 'utilization over time', yTitle: 'busy (fraction)', bounds: { lo: 0, hi: 1 }, lines }));
  out.push(renderLinePlot({ kind: 'queue', title: 'queued jobs', yTitle: 'queued (jobs)', bounds: { lo: 0 }, lines: [{ label: 'queued', colour: '#444', t: s.t, v: s.queued }] }));
  return out;
}

function hostPlots(runs: PointRuns): string[] {
  const samples = runs.hosts ?? [];
  if (samples.length === 0) return [];
  const hosts = [...new Set(samples.map((h) => h.host))];
  const per = (pick: (h: (typeof samples)[number]) => number): Line[] => hosts.map((host, k) => {
    const mine = samples.filter((h) => h.host === host);
    return { label: host, colour: HOST_COLOURS[k % HOST_COLOURS.length] as string, t: mine.map((h) => h.t), v: mine.map(pick) };
  });
  return [
    renderLinePlot({ kind: 'host', title: 'host CPU busy', yTitle: 'CPU busy (fraction)', bounds: { lo: 0, hi: 1 }, lines: per((h) => h.cpuBusy) }),
    renderLinePlot({ kind: 'host', title: 'host memory in use', yTitle: 'memory (GiB)', bounds: { lo: 0 }, lines: per((h) => h.memUsed / 2 ** 30) }),
    renderLinePlot({ kind: 'host', title: 'host network received (cumulative)', yTitle: 'received (MiB)', bounds: { lo: 0 }, lines: per((h) => h.netRx / 2 ** 20) }),
  ];
}

function schedulerPlots(runs: PointRuns): string[] {
  const s = runs.scheduler;
  if (!s) return [];
  return Object.entries(s.columns).map(([name, v]) => renderLinePlot({ kind: 'scheduler', title: `scheduler: ${name}`, yTitle: `${name} (value)`, bounds: {}, lines: [{ label: name, colour: '#CC79A7', t: s.t, v }] }));
}

/** Plots for every point of a group that has a series; an explanatory note when none has. */
export function renderTimeSeries(points: readonly SweepMetricsRow[], indices: readonly number[], runs: Readonly<Record<string, PointRuns>>): string {
  const cards: string[] = [];
  for (const i of indices) {
    const p = points[i] as SweepMetricsRow;
    const r = runs[p.pointId];
    if (!r) continue;
    const plots = [...workloadPlots(r), ...hostPlots(r), ...schedulerPlots(r)];
    if (plots.length === 0) continue;
    const kind = runKind(r.provider);
    cards.push(`<div class="series-card" data-point="${escapeHtml(p.pointId)}"><h4>${escapeHtml(p.pointId)} <span class="run-${kind}">${kind}</span> <small>(repetition 0)</small></h4><div class="series-row">${plots.join('')}</div></div>`);
  }
  return cards.length ? cards.join('') : '<p class="note">No time series recorded for these points.</p>';
}
