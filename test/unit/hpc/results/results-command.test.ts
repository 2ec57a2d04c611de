import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseResultsArgs, runResultsCommand } from '../../../../src/cli/results-command.js';
import { writeArrowFile } from '../../../../src/hpc/results/arrow-file.js';
import { jobsToTable } from '../../../../src/hpc/results/jobs-table.js';
import { sweepMetricsToTable } from '../../../../src/hpc/results/metrics-table.js';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'bench-results-cmd-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('bench results', () => {
  it('reports every argument mistake at once', () => {
    const d = parseResultsArgs(['--format', 'xlsx', '--bogus', '--out']);
    expect(Array.isArray(d) && d.map((x) => x.message)).toEqual(['unknown argument --bogus', 'needs a value', 'unknown format']);
  });

  it('says what to run when there are no results', async () => {
    const r = await runResultsCommand(['--format', 'csv'], root);
    expect(r.kind === 'invalid' && r.diagnostics[0]?.hint).toBe('run `bench report:pareto` first');
  });

  it('exports the latest invocation\'s tables as CSV into results/export/<its folder>', async () => {
    const run = join(root, 'results', 'runs', '2026-01-01T00-00-00.000Z-all');
    await writeArrowFile(join(run, 'metrics.arrow'), sweepMetricsToTable([
      { pointId: 'p', configHash: 'h', reps: 2, config: { scheduler: 'slurm' }, metrics: { makespan: { mean: 10, ci95: 1 } } },
    ]));
    await writeArrowFile(join(run, 'jobs.arrow'), jobsToTable([
      { id: 7, user: 'u', submit: 0, start: 1, end: 2, cores: 1, nodes: 1, gpus: 0, state: 'completed', backfilled: true },
    ]));
    await symlink(join('runs', '2026-01-01T00-00-00.000Z-all'), join(root, 'results', 'latest'));
    const r = await runResultsCommand(['--format=csv'], root);
    const out = 'results/export/2026-01-01T00-00-00.000Z-all';
    expect(r).toEqual({ kind: 'exported', format: 'csv', files: [`${out}/metrics.csv`, `${out}/jobs.csv`] });
    expect(await readFile(join(root, out, 'metrics.csv'), 'utf8')).toBe('point_id,config_hash,reps,scheduler,makespan,makespan_ci95\np,h,2,slurm,10,1\n');
    expect(await readFile(join(root, out, 'jobs.csv'), 'utf8')).toContain('7,u,0,1,2,1,1,0,completed,true');
  });
});
