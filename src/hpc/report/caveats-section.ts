/**
 * Caveats: warnings from the runs that change how points compare (jobs clamped to a small
 * topology, settings the simulator does not model, real-run limits). Listed once across the
 * sweep with the points they concern, then per point.
 */
import { dedupeWarnings } from '../../engine/events/reporters/warning-summary.js';
import type { SweepMetricsRow } from '../results/metrics-table.js';
import { escapeHtml } from './escape-html.js';
import type { PointRuns } from './point-runs.js';

/** Deduplicated caveats of a sweep: each distinct text, numbers as ranges, with the points it concerns. */
export function sweepCaveats(points: readonly SweepMetricsRow[], runs: Readonly<Record<string, PointRuns>>): { text: string; points: string[] }[] {
  const items = points.flatMap((p) => (runs[p.pointId]?.caveats ?? []).map((text) => ({ text, source: p.pointId })));
  // Caveats that concern fewer points set those points apart, so they come first.
  return dedupeWarnings(items).map((g) => ({ text: g.text, points: g.taskIds })).sort((a, b) => a.points.length - b.points.length);
}

/** The caveats section; says so plainly when there are none. */
export function renderCaveats(points: readonly SweepMetricsRow[], runs: Readonly<Record<string, PointRuns>>): string {
  const all = sweepCaveats(points, runs);
  if (all.length === 0) return '<section id="caveats"><h2>Caveats</h2><p class="note">The runs reported no warnings.</p></section>';
  const items = all.map((c) => `<li class="caveat"><span class="caveat-text">${escapeHtml(c.text)}</span><br><small>${c.points.length} point(s): ${escapeHtml(c.points.join(', '))}</small></li>`);
  const perPoint = points.filter((p) => (runs[p.pointId]?.caveats.length ?? 0) > 0)
    .map((p) => `<li><strong>${escapeHtml(p.pointId)}</strong><ul>${(runs[p.pointId]?.caveats ?? []).map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul></li>`);
  return `<section id="caveats"><h2>Caveats</h2><p class="note">Warnings from the runs that change how points compare, deduplicated (numbers that vary between runs shown as ranges).</p><ul>${items.join('')}</ul><details><summary>Per point</summary><ul>${perPoint.join('')}</ul></details></section>`;
}
