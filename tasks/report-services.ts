/**
 * `report:services`: the latency–throughput curve per service over the client concurrencies
 * (results/services.html, services.txt), with each run's files under `runs/`. Its own module, so
 * editing the report reruns only the report, not the client jobs.
 */
import { defineTask } from 'bench';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson } from './io.js';

/** What each client run leaves (written by client:run): its rows, metrics, settings and the load generator's own output. */
const RUN_FILES = ['client.arrow', 'metrics.json', 'run.json', 'client.log'];

export const reportServices = defineTask({
  kind: 'artifact',
  name: 'report:services',
  version: 1,
  description: 'Latency against throughput per service over the client concurrencies (services.html)',
  needs: ['client:run'],
  reads: [],
  scope: 'sweep',
  publish: ['services.html', 'services.txt'],
  summary: 'services.txt',
  async run(ctx) {
    const { buildServicesReport } = await import('bench/services-report');
    const points = [];
    for (const dep of ctx.deps['client:run'] ?? []) {
      const run = await readJson<{ service: string; client: string; concurrency: number; rep: number; granularity: 'request' | 'aggregate' }>(dep.dir, 'run.json');
      points.push({ ...run, metrics: await readJson<import('bench/services-report').ClientMetrics>(dep.dir, 'metrics.json') });
      // Every run's files next to the report (results/report-services/all/runs/<service>-c<n>-r<rep>/).
      const runDir = join(ctx.outDir, 'runs', `${run.service}-c${run.concurrency}-r${run.rep}`);
      await mkdir(runDir, { recursive: true });
      for (const f of RUN_FILES) await copyFile(join(dep.dir, f), join(runDir, f));
    }
    const { html, text } = buildServicesReport(points, { date: new Date().toISOString(), command: ['bench', ...process.argv.slice(2)].join(' ') });
    await writeFile(`${ctx.outDir}/services.html`, html);
    await writeFile(`${ctx.outDir}/services.txt`, text);
  },
});
