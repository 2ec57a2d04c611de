/**
 * The HTML report in real headless Chromium: it loads from a file with no console errors, each
 * plot has one mark per point, the front is marked, and clicking a header sorts the table.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankSweepPoints, renderReport } from '../../src/hpc/report/render-report.js';
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
  const points = sampleSweep();
  const ranking = rankSweepPoints(points, OBJECTIVES);

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

  it('loads offline without errors, plots every point, marks the front, sorts on click', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, renderReport({ points, objectives: OBJECTIVES, definitions: DEFINITIONS, provenance: { toolVersion: '0.1.0', date: '2026-11-23' } }));
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

    const plots = page.locator('figure.plot');
    expect(await plots.count()).toBe(6);
    for (let i = 0; i < 6; i++) {
      const plot = plots.nth(i);
      const y = await plot.getAttribute('data-y');
      // The one point without fairness cannot appear where fairness is an axis.
      const expected = y === 'fairness' ? points.length - 1 : points.length;
      expect(await plot.locator('circle.mark').count()).toBe(expected);
      const frontIds = await plot.locator('circle.mark.front').evaluateAll((els) => els.map((e) => e.getAttribute('data-point')));
      const wanted = points.filter((_, k) => ranking.rank[k] === 1).map((p) => p.pointId);
      expect(frontIds.sort()).toEqual(wanted.sort());
    }
    // Front marks are drawn in a different colour from dominated ones.
    const fillOf = (sel: string): Promise<string[]> => page.$$eval(sel, (els) => [...new Set(els.map((e) => getComputedStyle(e).fill))]);
    const frontFills = await fillOf('circle.mark.front');
    const otherFills = await fillOf('circle.mark:not(.front)');
    expect(frontFills).toHaveLength(1);
    expect(otherFills).not.toContain(frontFills[0]);

    const header = page.locator('#points thead th', { hasText: /^makespan$/ });
    await header.click();
    const asc = await page.$$eval('#points tbody tr', (rows) => rows.map((r) => r.getAttribute('data-point')));
    const byMakespan = [...points].sort((a, b) => (a.metrics['makespan']?.mean ?? 0) - (b.metrics['makespan']?.mean ?? 0)).map((p) => p.pointId);
    expect(asc).toEqual(byMakespan);
    await header.click();
    const desc = await page.$$eval('#points tbody tr', (rows) => rows.map((r) => r.getAttribute('data-point')));
    expect(desc).toEqual([...byMakespan].reverse());

    const shot = SHOT ?? join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });
});
