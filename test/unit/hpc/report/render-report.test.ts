import { describe, expect, it } from 'vitest';
import { renderFrontTable } from '../../../../src/hpc/report/render-front-table.js';
import { rankSweepPoints, renderReport } from '../../../../src/hpc/report/render-report.js';
import { withCostObjective } from '../../../../src/hpc/report/cost-metrics.js';
import type { SweepMetricsRow } from '../../../../src/hpc/results/metrics-table.js';
import { DEFINITIONS, OBJECTIVES, sampleSweep } from './sample-sweep.js';

/** The sample sweep plus a second workload whose makespans are all far longer. */
function twoWorkloads(): SweepMetricsRow[] {
  const base = sampleSweep();
  const other = base.map((p) => ({ ...p, pointId: p.pointId.replace('mixed', 'trace'), config: { ...p.config, workload: 'trace' },
    metrics: Object.fromEntries(Object.entries(p.metrics).map(([k, v]) => [k, k === 'makespan' ? { mean: v.mean * 10, ci95: v.ci95 } : v])) }));
  return [...base, ...other];
}

const objectives = withCostObjective(OBJECTIVES, 'node_hours');
const points = twoWorkloads().map((p) => ({ ...p, metrics: { ...p.metrics, node_hours: { mean: (p.metrics['makespan']?.mean ?? 0) / 900, ci95: 0.1 } } }));
const runs = Object.fromEntries(points.map((p) => [p.pointId, {
  provider: p.config['scheduler'] === 'slurm' && p.config['topology'] === 'small' ? 'netns' : 'sim',
  caveats: p.config['topology'] === 'small' ? ['18 of 200 jobs asked for more than the small topology has and were clamped to it'] : [],
  series: { t: [0, 100, 200], queued: [3, 1, 0], busyCores: [8, 16, 4], busyGpus: [0, 1, 0] }, totalCores: 16, totalGpus: 2,
}]));
const input = { points, objectives, definitions: DEFINITIONS, provenance: { toolVersion: '0.1.0', date: '2026-11-23T00:00:00Z', command: 'bench report:pareto', seed: 42, commit: 'abc123' }, runs };

describe('renderReport', () => {
  const html = renderReport(input);

  it('is self-contained: no external scripts, styles, images or fetches', () => {
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img|https?:\/\/(?!www\.w3\.org)/);
  });

  it('has one section per workload, each with the first objective plotted against every other one', () => {
    expect(html.match(/<section class="group"/g)).toHaveLength(2);
    expect(html).toContain('data-group="workload=mixed"');
    expect(html).toContain('data-group="workload=trace"');
    expect(html.match(/<figure class="plot"/g)).toHaveLength(2 * (objectives.length - 1));
  });

  it('ranks within a workload: the trace workload has its own front although its makespans are all longer', () => {
    const { ranking } = rankSweepPoints(points, objectives);
    const traceFront = points.filter((p, i) => p.config['workload'] === 'trace' && ranking.rank[i] === 1);
    expect(traceFront.length).toBeGreaterThan(0);
  });

  it('puts a unit on every axis and says which direction is better', () => {
    const axes = [...html.matchAll(/<text class="axis[^"]*"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    expect(axes.length).toBeGreaterThan(0);
    for (const a of axes) expect(a).toMatch(/\((s|ratio|fraction|node-h|jobs)\)/);
    expect(axes.some((a) => a.includes('node_hours (node-h) ↓'))).toBe(true);
  });

  it('marks real and simulated runs and states the caveats once with the points they concern', () => {
    expect(html).toContain('data-run="real"');
    expect(html).toContain('data-run="simulated"');
    const caveats = html.match(/<li class="caveat">/g) ?? [];
    expect(caveats).toHaveLength(1);
    expect(html).toMatch(/clamped to it<\/span><br><small>6 point\(s\)/);
  });

  it('draws utilization over time for each point', () => {
    expect(html.match(/<figure class="series-plot" data-kind="utilization"/g)).toHaveLength(points.length);
  });

  it('includes definitions and provenance', () => {
    expect(html).toContain('max(1, (w + r) / max(r, 10 s))');
    expect(html).toContain('bench 0.1.0');
    expect(html).toContain('<code>bench report:pareto</code>');
    expect(html).toContain('<code>abc123</code>');
  });

  it('escapes text from config and definitions', () => {
    const evil = renderReport({ ...input, definitions: { x: '<script>alert(1)</script>' } });
    expect(evil).not.toContain('<script>alert(1)');
  });

  it('lists the unranked point with the reason', () => {
    expect(html).toContain('large-volcano-mixed: fairness is missing');
  });
});

describe('renderFrontTable', () => {
  it('prints each group\'s front, best first on the first objective, with ↓/↑ headers', () => {
    const { groups, ranking } = rankSweepPoints(points, objectives);
    const text = renderFrontTable({ points, ranking, groups, objectives, runs });
    expect(text).toMatch(/^workload=mixed: \d+ of 10 points on the front$/m);
    expect(text).toMatch(/^point\s+ran\s+makespan \(s\) ↓\s+bsld_mean \(ratio\) ↓\s+utilization \(fraction\) ↑/m);
    expect(text).not.toContain('(min)');
    const block = text.split('\n\n')[0]?.split('\n') ?? [];
    const makespans = block.slice(3).map((l) => Number(l.split(/\s{2,}/)[2]?.split(' ± ')[0]));
    expect(makespans.length).toBeGreaterThan(0);
    expect(makespans).toEqual([...makespans].sort((a, b) => a - b));
    expect(text.trim().split('\n').at(-1)).toMatch(/points on the fronts of 2 group\(s\); ↓ minimise, ↑ maximise; 2 not ranked/);
  });
});
