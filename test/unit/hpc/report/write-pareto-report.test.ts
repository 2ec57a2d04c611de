import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeParetoReport } from '../../../../src/hpc/report/write-pareto-report.js';
import { readArrowFile } from '../../../../src/hpc/results/arrow-file.js';
import { tableToSweepMetrics } from '../../../../src/hpc/results/metrics-table.js';
import { DEFINITIONS, OBJECTIVES, sampleSweep } from './sample-sweep.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-pareto-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeParetoReport', () => {
  it('writes metrics.arrow and report.html and returns the fronts per group', async () => {
    const resultsDir = join(dir, 'results');
    const points = sampleSweep();
    const r = await writeParetoReport({ resultsDir, points, objectives: OBJECTIVES, definitions: DEFINITIONS, provenance: { toolVersion: '0.1.0', date: 'today' } });
    expect((await readdir(resultsDir)).sort()).toEqual(['metrics.arrow', 'report.html']);
    expect(tableToSweepMetrics(await readArrowFile(r.files.metrics))).toHaveLength(points.length);
    expect(await readFile(r.files.report, 'utf8')).toMatch(/^<!doctype html>/);
    expect(r.groups.map((g) => g.label)).toEqual(['workload=mixed']);
    expect(r.frontTable).toContain('workload=mixed:');
    expect(Array.from(r.ranking.rank).filter((x) => x === 1).length).toBeGreaterThan(0);
  });
});
