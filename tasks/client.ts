/**
 * `client:run`: one benchmark client job against the deployed service (per sweep point and
 * repetition): its rows in `client.arrow`, its metrics in `metrics.json` (throughput, latency
 * p50/p95/p99, error rate), its raw output in `client.log`.
 */
import { defineTask } from 'bench';
import { backendContext } from './cluster.js';
import { onlyDep, readJson, TaskError, writeJson } from './io.js';
import { writeFile } from 'node:fs/promises';

export const clientRun = defineTask({
  kind: 'artifact',
  name: 'client:run',
  version: 1,
  description: 'Run the client recipe as a SLURM job against the service; client.arrow and metrics.json',
  needs: ['service:deploy', 'client:image'],
  // The service's and cluster's config shape the figures as much as the client's own.
  reads: ['client', 'service', 'provider', 'topology', 'scheduler'],
  repeats: true,
  timeoutMs: 30 * 60_000,
  async run(ctx) {
    const [{ runClient, computeClientMetrics, clientRowsToTable, ServiceJobError }, { writeArrowFile, writePointConfig }] = await Promise.all([
      import('bench/services'), import('bench/results'),
    ]);
    const { client, service } = ctx.config;
    if (!client || client.kind === 'none' || !service || service.kind === 'none') throw new TaskError('client:run: no client chosen (client=none); choose the service\'s own, e.g. service=redis client=redis');
    const handle = onlyDep(ctx.deps, 'service:deploy').handle as import('bench/services').ServiceHandle;
    let result;
    try {
      // The image client:image built (absent when the client runs on the host).
      const image = await readJson<{ ref?: string; store?: string }>(onlyDep(ctx.deps, 'client:image').dir, 'image.json');
      result = await runClient(handle, client as Parameters<typeof runClient>[1], backendContext(ctx), image.ref && image.store ? { ref: image.ref, store: image.store } : undefined);
    } catch (e) {
      if (e instanceof ServiceJobError) throw new TaskError(e.message);
      throw e;
    }
    const metrics = computeClientMetrics(result.rows);
    if (ctx.points[0]) writePointConfig(ctx.outDir, ctx.points[0]);
    await writeArrowFile(`${ctx.outDir}/client.arrow`, clientRowsToTable(result.rows));
    await writeFile(`${ctx.outDir}/client.log`, result.output);
    await writeJson(ctx.outDir, 'metrics.json', metrics);
    await writeJson(ctx.outDir, 'run.json', {
      point: ctx.points[0]?.id, rep: ctx.rep ?? 0, service: handle.recipe, service_kind: handle.kind, client: client.kind,
      concurrency: client.concurrency, granularity: result.granularity, runtime: result.runtime, image: result.image,
      service_job: handle.jobId, service_endpoint: handle.endpoint, client_job: result.jobId, client_node: result.node,
    });
    ctx.log.info(`client ${client.kind} c=${client.concurrency}: ${metrics.throughput_rps.toFixed(0)} req/s, p99 ${metrics.latency_p99_ms.toFixed(3)} ms, errors ${metrics.errors}`);
  },
});
