/**
 * Simulator fidelity: pairs each sweep point run on a real backend with the point that differs
 * from it only in the provider (the simulated one), and reports per metric how far the
 * simulation is from the real scheduler. Pure: the caller reads the metrics files.
 */
import { canonicalJson } from '../../engine/hash/canonical-json.js';
import { aggregateRepetitions } from './index.js';

/** One sweep point (without repetition) with its per-repetition metrics. */
export interface FidelityInput {
  pointId: string;
  config: Record<string, unknown>;
  runs: Record<string, number>[];
}

export interface MetricGap {
  metric: string;
  real: { mean: number; ci95: number };
  sim: { mean: number; ci95: number };
  /** sim − real. */
  diff: number;
  /** (sim − real) / |real|; NaN when real is 0. */
  relDiff: number;
  /**
   * The two 95% intervals overlap: with these repetitions the gap is not distinguishable from
   * noise. Undefined when a side has one repetition: there is no interval to compare.
   */
  overlaps: boolean | undefined;
}

export interface FidelityPair {
  realPoint: string;
  realProvider: string;
  simPoint: string;
  gaps: MetricGap[];
}

export interface FidelityResult {
  pairs: FidelityPair[];
  /** Real-backend points with no simulated twin (the sweep did not include provider=sim for them). */
  unpaired: string[];
}

function providerKind(config: Record<string, unknown>): string {
  const p = config['provider'];
  return typeof p === 'object' && p !== null ? String((p as Record<string, unknown>)['kind'] ?? '') : '';
}

/** Everything that shapes a schedule except where it ran: the config without provider and rep. */
function twinKey(config: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'provider' && k !== 'rep'));
  return canonicalJson(rest);
}

function gap(metric: string, realRuns: number[], simRuns: number[]): MetricGap {
  const real = aggregateRepetitions(realRuns);
  const sim = aggregateRepetitions(simRuns);
  const diff = sim.mean - real.mean;
  const overlaps = Number.isFinite(real.ci95) && Number.isFinite(sim.ci95) ? Math.abs(diff) <= real.ci95 + sim.ci95 : undefined;
  return { metric, real, sim, diff, relDiff: real.mean === 0 ? Number.NaN : diff / Math.abs(real.mean), overlaps };
}

/** Pairs real points with their simulated twins and measures the gap for every metric both have. */
export function compareFidelity(points: readonly FidelityInput[]): FidelityResult {
  const sims = new Map<string, FidelityInput>();
  for (const p of points) if (providerKind(p.config) === 'sim') sims.set(twinKey(p.config), p);
  const pairs: FidelityPair[] = [];
  const unpaired: string[] = [];
  for (const p of points) {
    const kind = providerKind(p.config);
    if (kind === 'sim') continue;
    const twin = sims.get(twinKey(p.config));
    if (!twin) {
      unpaired.push(p.pointId);
      continue;
    }
    const metrics = Object.keys(p.runs[0] ?? {}).filter((m) => m in (twin.runs[0] ?? {}));
    pairs.push({
      realPoint: p.pointId, realProvider: kind, simPoint: twin.pointId,
      gaps: metrics.map((m) => gap(m, p.runs.map((r) => r[m] as number), twin.runs.map((r) => r[m] as number))),
    });
  }
  return { pairs, unpaired };
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : '-');

/** A plain-text table per pair: metric, real, simulated, difference, relative difference. */
export function formatFidelity(result: FidelityResult): string {
  const out: string[] = [];
  for (const p of result.pairs) {
    out.push(`${p.realPoint} (${p.realProvider}) vs ${p.simPoint} (simulated)`);
    out.push(`  ${'metric'.padEnd(12)} ${'real'.padStart(20)} ${'simulated'.padStart(20)} ${'sim - real'.padStart(11)} ${'relative'.padStart(9)}  CIs overlap`);
    for (const g of p.gaps) {
      const rel = Number.isFinite(g.relDiff) ? `${(g.relDiff * 100).toFixed(1)}%` : '-';
      out.push(`  ${g.metric.padEnd(12)} ${`${fmt(g.real.mean)} ± ${fmt(g.real.ci95)}`.padStart(20)} ${`${fmt(g.sim.mean)} ± ${fmt(g.sim.ci95)}`.padStart(20)} ${fmt(g.diff).padStart(11)} ${rel.padStart(9)}  ${g.overlaps === undefined ? 'n/a (one run)' : g.overlaps ? 'yes' : 'no'}`);
    }
  }
  if (result.unpaired.length) out.push(`no simulated twin for: ${result.unpaired.join(', ')} (add provider=sim to the sweep)`);
  if (!result.pairs.length && !result.unpaired.length) out.push('no real-backend points in this sweep: nothing to compare');
  return `${out.join('\n')}\n`;
}
