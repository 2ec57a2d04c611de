/** `workload:run`: replays the workload's jobs on the configured scheduler; one instance per repetition. */
import { defineTask, formatDiagnostic } from 'bench';
import type { SchedulerHandle } from 'bench';
import { backendContext } from './cluster.js';
import { failUnless, onlyDep, TaskError, writeJson } from './io.js';

/**
 * Each repetition gets its own seed, derived from the configured seed and the repetition index,
 * so repetitions are distinct trials and the same repetition is reproducible.
 */
export function repetitionSeed(seed: number, rep: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(rep + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

export const workloadRun = defineTask({
  kind: 'artifact',
  name: 'workload:run',
  version: 1,
  description: 'Submit the workload to the scheduler and record every job (jobs.arrow)',
  needs: ['scheduler:configure'],
  // The whole scheduler and topology are read: the simulator's schedule depends on every modelled key.
  reads: ['workload', 'seed', 'scheduler', 'topology', 'provider'],
  // A trace's content decides the schedule: editing the file in place must rerun the runs.
  inputsFrom: ({ workload }) => (workload.kind === 'trace' ? [workload.path] : []),
  repeats: true,
  uses: { cpus: 1 },
  timeoutMs: 60 * 60_000,
  // On the simulator the run is pure computation and may go to a cluster executor; a real run
  // drives its cluster from this machine and stays here.
  remote: (config) => (config['provider'] as { kind?: string } | undefined)?.kind === 'sim',
  async run(ctx) {
    const [{ loadWorkload }, { jobsToTable, writeArrowFile, writePointConfig, hostSeriesToTable, schedulerSeriesToTable }, { schedulerFor }] = await Promise.all([
      import('bench/workload'), import('bench/results'), import('bench/backends'),
    ]);
    const rep = ctx.rep ?? 0;
    const seed = repetitionSeed(ctx.config.seed ?? 0, rep);
    const { topology, provider, workload } = ctx.config;
    const loaded = loadWorkload(workload, { root: ctx.projectRoot, seed, topology });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new TaskError(errors.map(formatDiagnostic).join('\n'));
    for (const d of loaded.diagnostics) ctx.log.warn(formatDiagnostic(d));
    const handle = onlyDep(ctx.deps, 'scheduler:configure').handle as SchedulerHandle;
    const scheduler = failUnless(await schedulerFor(provider.kind, handle.kind));
    const timeScale = 'time_scale' in provider && typeof provider.time_scale === 'number' ? provider.time_scale : 1;
    if (ctx.points[0]) writePointConfig(ctx.outDir, ctx.points[0]);
    const result = await scheduler.run(handle, loaded.jobs, { timeScale, seed, ctx: backendContext(ctx) });
    for (const w of result.warnings) ctx.log.warn(w);
    await writeArrowFile(`${ctx.outDir}/jobs.arrow`, jobsToTable(result.jobs));
    await writeJson(ctx.outDir, 'run.json', {
      point: ctx.points[0]?.id, rep, seed, scheduler: handle.kind, provider: provider.kind,
      jobs: result.jobs.length, dropped: loaded.dropped, tooWide: loaded.tooWide, clamped: loaded.clamped,
      warnings: result.warnings, settings: result.settings,
      ...(result.view ? { fragmentation: result.view.fragmentation, backfilled: result.view.backfilled } : {}),
    });
    if (result.view) await writeJson(ctx.outDir, 'series.json', result.view.series);
    if (result.hosts?.length) {
      await writeArrowFile(`${ctx.outDir}/hosts.arrow`, hostSeriesToTable(result.hosts));
    }
    // Real backends that observe their scheduler (Kubernetes: Prometheus scrapes) add its series.
    const schedulerSeries = (result as { scheduler?: { t: number[] } & Record<string, number[]> }).scheduler;
    if (schedulerSeries?.t.length) await writeArrowFile(`${ctx.outDir}/scheduler.arrow`, schedulerSeriesToTable(schedulerSeries));
  },
});
