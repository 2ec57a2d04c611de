/**
 * The HTML report in real headless Chromium: it loads from a file with no console errors and no
 * requests; fronts per workload with the cost objective, units on every axis, legends by scheduler
 * and topology, time series, the caveats and real vs simulated are on the page; headers sort.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankSweepPoints, renderReport } from '../../src/hpc/report/render-report.js';
import type { SweepMetricsRow } from '../../src/hpc/results/metrics-table.js';
import { withCostObjective } from '../../src/hpc/report/cost-metrics.js';
import { DEFINITIONS, OBJECTIVES, sampleSweep } from '../unit/hpc/report/sample-sweep.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true') {
  throw new Error(`${CHROMIUM} is missing; CI must test the report in a real browser (install the chromium package)`);
}
/** Where the last screenshot goes; kept outside the temp dir only when asked, for a human to look at. */
const SHOT = process.env['BENCH_REPORT_SCREENSHOT'];

describe.skipIf(!available)(`HTML report in headless Chromium${available ? '' : ` (skipped: ${CHROMIUM} not found)`}`, () => {
  let browser: Browser;
  let dir: string;
  // Two workloads, a cost objective, one real scheduler/topology pair, clamped jobs on small.
  const points = sampleSweep().flatMap((p) => [p, { ...p, pointId: p.pointId.replace('mixed', 'trace'), config: { ...p.config, workload: 'trace' } }])
    .map((p): SweepMetricsRow => ({ ...p, metrics: { ...p.metrics, node_hours: { mean: (p.metrics['makespan']?.mean ?? 0) / 900, ci95: 0.2 } } }));
  const objectives = withCostObjective(OBJECTIVES, 'node_hours');
  const runs = Object.fromEntries(points.map((p) => [p.pointId, {
    provider: p.config['scheduler'] === 'slurm' ? 'netns' : 'sim',
    caveats: p.config['topology'] === 'small' ? ['18 of 200 jobs asked for more than the small topology has and were clamped to it'] : [],
    series: { t: [0, 50, 400, 900], queued: [4, 2, 1, 0], busyCores: [16, 32, 20, 0], busyGpus: [0, 2, 1, 0] }, totalCores: 32, totalGpus: 4,
  }]));
  const { ranking } = rankSweepPoints(points, objectives);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows per-workload fronts with cost, units, legends, time series, caveats and real vs simulated; sorts on click', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, renderReport({ points, objectives, definitions: DEFINITIONS, runs, provenance: { toolVersion: '0.1.0', date: '2026-11-23', command: 'bench report:pareto' } }));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Any request other than the file itself would mean the report is not self-contained.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // One section per workload, each with its own front marked in its own plots.
    const sections = page.locator('section.group');
    expect(await sections.count()).toBe(2);
    for (let g = 0; g < 2; g++) {
      const section = sections.nth(g);
      const workload = (await section.getAttribute('data-group'))?.replace('workload=', '');
      const plots = section.locator('figure.plot');
      expect(await plots.count()).toBe(objectives.length - 1);
      // The cost objective is on by default: a node-hours plot in every workload.
      expect(await section.locator('figure.plot[data-y="node_hours"]').count()).toBe(1);
      const frontIds = await plots.first().locator('.mark.front').evaluateAll((els) => els.map((e) => e.getAttribute('data-point')));
      const wanted = points.filter((p, k) => p.config['workload'] === workload && ranking.rank[k] === 1).map((p) => p.pointId);
      expect(frontIds.sort()).toEqual(wanted.sort());
      // Legend by scheduler (with how it ran) and by topology.
      expect(await section.locator('[data-legend="scheduler"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-value')}:${e.getAttribute('data-run')}`)))
        .toEqual(['slurm:real', 'flux:simulated', 'kubernetes:simulated', 'volcano:simulated']);
      expect(await section.locator('[data-legend="topology"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')))).toEqual(['small', 'medium', 'large']);
      expect(await section.locator('figure.series-plot[data-kind="utilization"]').count()).toBeGreaterThan(0);
    }
    // Every axis says its unit, and rendered text is large enough to read in a screenshot.
    const axes = await page.$$eval('svg text.axis', (els) => els.map((e) => ({ text: e.textContent ?? '', size: parseFloat(getComputedStyle(e).fontSize) })));
    expect(axes.length).toBeGreaterThan(0);
    for (const a of axes) {
      expect(a.text).toMatch(/\((s|h|ratio|fraction|node-h|jobs)\)/);
      expect(a.size).toBeGreaterThanOrEqual(12);
    }
    // Caveats: the clamped-jobs warning once, naming the points.
    const caveats = await page.locator('#caveats li.caveat').allTextContents();
    expect(caveats).toHaveLength(1);
    expect(caveats[0]).toMatch(/clamped to it.*6 point\(s\)/s);
    // Real and simulated runs are marked in the tables too.
    expect(await page.locator('#points [data-run="real"]').count()).toBe(points.filter((p) => p.config['scheduler'] === 'slurm').length);
    // Fractions stay inside [0, 1]: no tick label above 1 on a utilization axis.
    const utilTicks = await page.locator('figure.plot[data-y="utilization"] text.tick[text-anchor="end"]').allTextContents();
    expect(Math.max(...utilTicks.map(Number).filter(Number.isFinite))).toBeLessThanOrEqual(1);

    const header = page.locator('#points thead th', { hasText: /^makespan \(s\) ↓$/ });
    await header.click();
    const asc = await page.$$eval('#points tbody tr', (rows) => rows.map((r) => r.getAttribute('data-point')));
    const byMakespan = [...points].sort((a, b) => (a.metrics['makespan']?.mean ?? 0) - (b.metrics['makespan']?.mean ?? 0)).map((p) => p.pointId);
    expect(asc.map((id) => points.find((p) => p.pointId === id)?.metrics['makespan']?.mean)).toEqual(byMakespan.map((id) => points.find((p) => p.pointId === id)?.metrics['makespan']?.mean));

    const shot = SHOT ?? join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });
});
