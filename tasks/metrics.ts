/** `metrics`: one repetition's metrics from its jobs table, as defined in the README. */
import { defineTask } from 'bench';
import type { Topology } from 'bench';
import { onlyDep, writeJson } from './io.js';

/** Cores the utilization denominator counts: compute nodes only, since jobs never run on heads. */
export function totalCores(t: Topology): number {
  return t.compute_nodes.count * t.compute_nodes.vcpus;
}

export const metrics = defineTask({
  kind: 'artifact',
  name: 'metrics',
  // 2: node_hours and core_hours (the cost objective) join the metrics.
  version: 2,
  description: 'Compute makespan, wait, bounded slowdown, utilization, throughput, fairness and cost for one run',
  needs: ['workload:run'],
  reads: ['topology'],
  repeats: true,
  // Reads its dependency's jobs table and writes files only: may run on a cluster executor.
  remote: true,
  async run(ctx) {
    const [{ computeRunMetrics }, { readArrowFile, writeArrowFile, tableToJobs, runMetricsToTable }, { costMetrics }] = await Promise.all([
      import('bench/metrics'), import('bench/results'), import('bench/report'),
    ]);
    const jobs = tableToJobs(await readArrowFile(`${onlyDep(ctx.deps, 'workload:run').dir}/jobs.arrow`));
    const { topology } = ctx.config;
    const run = computeRunMetrics(jobs, totalCores(topology));
    const values = { ...run, ...costMetrics(run.makespan, topology.compute_nodes.count, topology.compute_nodes.vcpus) };
    await writeJson(ctx.outDir, 'metrics.json', values);
    const point = ctx.points[0];
    // The point's group choices are data, so defaulted and experiment-chosen groups are named too.
    const choice = (group: string) => point?.choices[group] ?? '';
    await writeArrowFile(`${ctx.outDir}/metrics.arrow`, runMetricsToTable([{
      pointId: point?.id ?? '', rep: ctx.rep ?? 0, configHash: point?.configHash ?? '',
      topology: choice('topology'), scheduler: choice('scheduler'), workload: choice('workload'), metrics: values,
    }]));
  },
});
