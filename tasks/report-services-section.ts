/**
 * `report:services-section`: when the sweep deploys services, the main report gets a services
 * section. It joins `report:pareto` (so `bench report:pareto service=X client=X` runs it), takes
 * that report.html and the client runs, and writes report.html with the section; it publishes the
 * report and report:pareto's front and metrics table, since report:pareto, now an inner target,
 * publishes nothing itself. The history folder report:pareto made for this report gets the same
 * report.html. Sweeps without services never run it, so their report has no such section.
 */
import { defineTask } from 'bench';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onlyDep, readJson } from './io.js';

/** What report:pareto leaves that this task hands on as its own. */
const PARETO_FILES = ['front.txt', 'metrics.arrow'];

const runsServices = (config: Record<string, unknown>) => {
  const kind = (g: unknown) => (g as { kind?: string } | undefined)?.kind ?? 'none';
  return kind(config['service']) !== 'none' && kind(config['client']) !== 'none';
};

export const reportServicesSection = defineTask({
  kind: 'artifact',
  name: 'report:services-section',
  version: 1,
  description: 'report.html of report:pareto with a services section (latency against throughput per service), when the sweep deploys services',
  needs: ['report:pareto', 'client:run'],
  reads: [],
  scope: 'sweep',
  joins: { target: 'report:pareto', when: runsServices },
  publish: ['report.html', ...PARETO_FILES],
  summary: 'front.txt',
  async run(ctx) {
    const { addServicesSection } = await import('bench/report');
    const pareto = onlyDep(ctx.deps, 'report:pareto');
    const points = [];
    for (const dep of ctx.deps['client:run'] ?? []) {
      const run = await readJson<{ service: string; client: string; concurrency: number; rep: number; granularity: 'request' | 'aggregate' }>(dep.dir, 'run.json');
      points.push({ ...run, metrics: await readJson<import('bench/services-report').ClientMetrics>(dep.dir, 'metrics.json') });
    }
    const original = await readFile(join(pareto.dir, 'report.html'), 'utf8');
    const html = addServicesSection(original, points);
    await writeFile(join(ctx.outDir, 'report.html'), html);
    for (const f of PARETO_FILES) await copyFile(join(pareto.dir, f), join(ctx.outDir, f));
    // results/latest is report:pareto's history folder for this report when it holds the same page.
    const latest = join(ctx.projectRoot, 'results', 'latest', 'report.html');
    if ((await readFile(latest, 'utf8').catch(() => '')) === original) await writeFile(latest, html);
  },
});
