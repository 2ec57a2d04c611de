import { describe, expect, it } from 'vitest';
import { renderFrontTable } from '../../../../src/hpc/report/render-front-table.js';
import { rankSweepPoints, renderReport } from '../../../../src/hpc/report/render-report.js';
import { DEFINITIONS, OBJECTIVES, sampleSweep } from './sample-sweep.js';

const input = { points: sampleSweep(), objectives: OBJECTIVES, definitions: DEFINITIONS, provenance: { toolVersion: '0.1.0', date: '2026-11-23T00:00:00Z' } };

describe('renderReport', () => {
  const html = renderReport(input);

  it('is self-contained: no external scripts, styles, images or fetches', () => {
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img|https?:\/\/(?!www\.w3\.org)/);
  });

  it('draws one plot per pair of objectives', () => {
    expect(html.match(/<figure class="plot"/g)).toHaveLength(6);
  });

  it('marks each point once per plot, except where a value is missing, and says so', () => {
    const marks = html.match(/<circle class="mark/g) ?? [];
    // 9 complete points in 6 plots, plus the fairness-less point in the 3 plots without fairness.
    expect(marks).toHaveLength(9 * 6 + 3);
    expect(html).toContain('1 point(s) without both values not shown');
  });

  it('lists the unranked point with the reason', () => {
    expect(html).toContain('large-volcano-mixed: fairness is missing');
  });

  it('escapes text from config and definitions', () => {
    const evil = renderReport({ ...input, definitions: { x: '<script>alert(1)</script>' } });
    expect(evil).not.toContain('<script>alert(1)');
  });

  it('includes definitions and provenance', () => {
    expect(html).toContain('max(1, (w + r) / max(r, 10 s))');
    expect(html).toContain('bench 0.1.0');
    expect(html).toContain('ffffffff00000000');
  });
});

describe('renderFrontTable', () => {
  it('prints only front points, best first on the first objective', () => {
    const ranking = rankSweepPoints(input.points, OBJECTIVES);
    const text = renderFrontTable(input.points, ranking, OBJECTIVES);
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^point\s+makespan \(min\)\s+bsld_mean \(min\)/);
    const front = input.points.filter((_, i) => ranking.rank[i] === 1);
    expect(lines).toHaveLength(front.length + 3);
    const makespans = lines.slice(2, -1).map((l) => Number(l.split(/\s{2,}/)[1]?.split(' ± ')[0]));
    expect(makespans).toEqual([...makespans].sort((a, b) => a - b));
    expect(lines.at(-1)).toBe(`${front.length} of 10 points on the front; 1 not ranked (missing or non-finite values)`);
  });
});
