/**
 * `bench graph --format html` of the default sweep in headless Chromium at 1400 px: every node's
 * label shows its whole id inside its box (so repetitions can be told apart) and the whole graph,
 * the report column included, fits the window without horizontal scrolling.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true') {
  throw new Error(`${CHROMIUM} is missing; CI must test the graph page in a real browser (install the chromium package)`);
}

describe.skipIf(!available)(`graph page in headless Chromium${available ? '' : ` (skipped: ${CHROMIUM} not found)`}`, () => {
  let browser: Browser;
  let dir = '';

  beforeAll(async () => {
    dir = copyProject('bench-graph-');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every full task id inside its box and the whole default-sweep graph within 1400 px', async () => {
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), 'graph', '--format', 'html', 'report:pareto'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const file = join(dir, 'graph.html');
    writeFileSync(file, r.stdout);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const nodes = await page.$$eval('g.n', (gs) => gs.map((g) => {
      const rect = (g.querySelector('rect') as SVGRectElement).getBoundingClientRect();
      const text = g.querySelector('text') as SVGTextElement;
      const box = text.getBoundingClientRect();
      return {
        id: (g as SVGGElement).dataset['id'] ?? '',
        shown: [...text.querySelectorAll('tspan')].map((t) => t.textContent).join(''),
        inside: box.left >= rect.left && box.right <= rect.right && box.top >= rect.top && box.bottom <= rect.bottom,
        right: rect.right,
        fontPx: parseFloat(getComputedStyle(text).fontSize) * (rect.width / (g.querySelector('rect') as SVGRectElement).width.baseVal.value),
      };
    }));
    // 1 image, 3 clusters, 9 schedulers, 81 runs, 81 metrics, 1 report.
    expect(nodes).toHaveLength(176);
    for (const n of nodes) {
      expect(n.shown, 'the label is the whole id').toBe(n.id);
      expect(n.inside, `${n.id} drawn inside its box`).toBe(true);
      expect(n.right, `${n.id} within the window`).toBeLessThanOrEqual(1400);
      expect(n.fontPx, `${n.id} readable`).toBeGreaterThanOrEqual(10);
    }
    expect(new Set(nodes.map((n) => n.shown)).size).toBe(176);
    expect(nodes.map((n) => n.id)).toContain('workload:run[large-kubernetes-gpu_intensive-r2]');
    expect(nodes.map((n) => n.id)).toContain('report:pareto[all]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
  });
});
