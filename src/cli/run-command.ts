/** `bench [targets] [key=value ...] [--dry-run] [-j N] [--force TASK] [--keep-going]`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../engine/events/events.js';
import { ndjsonReporter } from '../engine/events/reporters/ndjson-reporter.js';
import { plainReporter } from '../engine/events/reporters/plain-reporter.js';
import type { Task } from '../engine/graph/task-graph.js';
import type { SlurmExecutorConfig } from '../hpc/executor/executor-schema.js';
import type { CliArgs } from './parse-args.js';
import { loadSources, type ProjectSources } from './load-sources.js';
import { dryRunFile, globExpander, globPatterns, readStamp, removeStamp, settledPlan, stampHolds, stampKey, statSig, watchedPaths, writeStamp } from './run-stamp.js';
import { printDiagnostics } from './main.js';

/** Prints each target's `summary` file, so an up-to-date run still shows its result (e.g. the Pareto front). */
function printSummaries(ids: string[], outputOf: (id: string) => string | undefined, dirOf: (digest: string) => string, graph: { tasks: Map<string, { def: { kind: string; summary?: string } }> }): string[] {
  const files = ids.flatMap((id) => {
    const def = graph.tasks.get(id)?.def;
    const digest = outputOf(id);
    return def && def.kind === 'artifact' && def.summary && digest ? [join(dirOf(digest), def.summary)] : [];
  });
  return printFiles(files);
}

/** Prints each file that exists; returns those printed. */
function printFiles(files: string[]): string[] {
  return files.filter((file) => {
    try {
      process.stdout.write(`\n${readFileSync(file, 'utf8')}`);
      return true;
    } catch {
      // A summary is a courtesy; its absence is not a failure of the run.
      return false;
    }
  });
}

/**
 * When the run stamp holds, nothing the last successful run depended on has changed: report the
 * no-op (the same events and summary line, the same summaries), or print the dry run the last
 * run saved (every task up to date), without building the graph.
 */
async function stampedNoOp(args: CliArgs, root: string, src: ProjectSources): Promise<boolean> {
  const { bf, sw, cacheDir } = src;
  if (args.force.length || !bf.benchfile || !bf.codeStamp || [...bf.diagnostics, ...sw.diagnostics].some((d) => d.severity === 'error')) return false;
  const stamp = readStamp(cacheDir);
  if (!stamp || (args.dryRun && !stamp.dryRun)) return false;
  const key = stampKey({ code: bf.codeStamp, benchfile: bf.benchfile, sweep: sw.sweep, targets: args.targets });
  if (!stampHolds(stamp, key, root, await globExpander(root, Object.keys(stamp.globs)))) return false;
  // A marker for tests (and the curious) that the graph was not built.
  if (process.env['BENCH_DEBUG']?.split(',').includes('stamp')) process.stderr.write('debug: run stamp holds; graph not built\n');
  if (args.dryRun) {
    let text: string;
    try {
      text = readFileSync(stamp.dryRun as string, 'utf8');
    } catch {
      return false;
    }
    process.stdout.write(text);
    return true;
  }
  const start = Date.now();
  const ndjson = ndjsonReporter(join(cacheDir, 'logs'));
  const plain = plainReporter((l) => process.stdout.write(`${l}\n`));
  for (const e of [
    { kind: 'run-started', at: start, total: stamp.upToDate, toRun: 0 },
    { kind: 'run-finished', at: Date.now(), ok: true, ran: 0, skipped: stamp.upToDate, failed: 0, ms: Date.now() - start },
  ] satisfies RunEvent[]) {
    ndjson.sink(e);
    plain(e);
  }
  ndjson.flush();
  printFiles(stamp.summaries);
  return true;
}

/** Plans, prints (dry run) or runs; returns the exit status. */
export async function runCommand(args: CliArgs, root: string): Promise<number> {
  // Loaded side by side: each awaited import is a round of module loading the no-op waits for.
  const [loaded, { takeExecutorConfig }] = await Promise.all([loadSources(root, args.overrides), import('../hpc/executor/take-executor-config.js')]);
  // Where tasks run must not change what they compute: the executor group leaves every point here.
  const taken = takeExecutorConfig(loaded.sw.sweep);
  const sources: ProjectSources = { ...loaded, sw: { sweep: taken.sweep, diagnostics: [...loaded.sw.diagnostics, ...taken.diagnostics] } };
  if (await stampedNoOp(args, root, sources)) return 0;
  // What a stamped no-op does without: the cache database (a native module), the planner, the runner.
  const [{ openProject }, { selectTargets }, { planRun }, { InProcessExecutor }, { publishResults }, { recoverStale }, { runGraph }] = await Promise.all([
    import('./open-project.js'), import('../engine/graph/select-targets.js'), import('../engine/runner/plan.js'), import('../engine/runner/executor.js'),
    import('../engine/runner/publish-results.js'), import('../engine/runner/recover.js'), import('../engine/runner/run-graph.js'),
  ]);
  const { project, diagnostics } = await openProject(root, args.overrides, sources);
  if (!project) return printDiagnostics(diagnostics);
  const { graph, store } = project;
  // A run holds a lease so that clean/gc cannot delete what it commits or reads (and waits for none).
  // The lease is renewed by a heartbeat while this process lives; clean/gc and bench status show it.
  const { leaseRefusal, leaseRenewMs } = await import('./lease-message.js');
  const maintainer = store.locks.takeLease('run', { renewEveryMs: leaseRenewMs() });
  if (maintainer) {
    store.close();
    process.stderr.write(leaseRefusal('run', maintainer));
    return 1;
  }
  const sel = selectTargets(graph, args.targets);
  if (sel.diagnostics.length) return printDiagnostics(sel.diagnostics);
  const entries = store.loadEntries();
  const forced = new Set(args.force);
  const plan = planRun(graph, sel.ids, {
    entries, inputsOf: project.inputsOf, codeOf: project.codeOf, outputExists: (d) => project.blobs.has(d), historyOf: (id, digest) => store.historyEntry(id, digest), forced,
  });
  if (args.dryRun) {
    // The plan renderer is a module a no-op run does not need.
    const { renderPlan } = await import('../engine/render/render-plan.js');
    process.stdout.write(renderPlan(graph, plan));
    store.saveFileStats(project.hasher.changed);
    store.close();
    return 0;
  }
  const ndjson = ndjsonReporter(join(project.cacheDir, 'logs'));
  const tty = process.stdout.isTTY ? (await import('../engine/events/reporters/tty-reporter.js')).ttyReporter(process.stdout) : undefined;
  const plain = tty ? undefined : plainReporter((l) => process.stdout.write(`${l}\n`));
  let upToDate = 0;
  const emit = (e: RunEvent): void => {
    ndjson.sink(e);
    (tty?.sink ?? plain)?.(e);
    if (e.kind === 'run-finished') upToDate = e.ran + e.skipped + (e.restored ?? 0);
  };
  // The stamp describes the state this run starts from; a run that dies leaves none behind.
  const { bf, sw } = sources;
  const key = bf.codeStamp && bf.benchfile ? stampKey({ code: bf.codeStamp, benchfile: bf.benchfile, sweep: sw.sweep, targets: args.targets }) : undefined;
  removeStamp(project.cacheDir);
  const patterns = bf.benchfile ? globPatterns(bf.benchfile) : [];
  const expand = await globExpander(root, patterns);
  const globs = Object.fromEntries(patterns.map((p) => [p, expand(p)]));
  let done: { published: string[]; summaries: string[] } | undefined;
  const ctrl = new AbortController();
  const onSignal = (): void => ctrl.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const away = taken.executor.kind === 'slurm' ? await remoteExecutor(taken.executor, { root, cacheDir: project.cacheDir, emit, signal: ctrl.signal }) : undefined;
  try {
    await recoverStale({ store, graph, emit, projectRoot: root, cacheDir: project.cacheDir });
    const summary = await runGraph({
      graph, plan, store, blobs: project.blobs, entries, executor: new InProcessExecutor(), projectRoot: root, ...(away ? { executorFor: away.executorFor } : {}),
      inputsOf: project.inputsOf, codeOf: project.codeOf, emit, signal: ctrl.signal, budget: project.budget, forced, keepGoing: args.keepGoing, ...(args.jobs ? { jobs: args.jobs } : {}),
    });
    store.saveFileStats(project.hasher.changed);
    let published: string[];
    try {
      published = publishResults({ root, graph, blobs: project.blobs, targets: sel.ids, outputs: summary.outputs });
    } catch (e) {
      // The outputs are committed in the cache; only their human-facing links and copies failed.
      process.stderr.write(`error: could not publish to results/ (${e instanceof Error ? e.message : String(e)}); the outputs are kept in the cache and the next run publishes them\n`);
      return 1;
    }
    const summaries = summary.ok ? printSummaries(sel.ids, (id) => summary.outputs.get(id), (digest) => project.blobs.dirOf(digest), graph) : [];
    if (summary.cancelled) return 130;
    if (summary.ok) done = { published, summaries };
    return summary.ok ? 0 : 1;
  } finally {
    // The execution cluster goes down before the run ends, whatever happened (none is left behind).
    await away?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    tty?.stop();
    ndjson.flush();
    store.close();
    // Stats are taken once the database is closed (its WAL checkpointed), as the next run will see them.
    if (done && key) {
      // What --dry-run would print from here on, written now while the graph is at hand.
      const dryRun = dryRunFile(project.cacheDir);
      const { renderPlan } = await import('../engine/render/render-plan.js');
      writeFileSync(dryRun, renderPlan(graph, settledPlan(plan)));
      const watched = Object.fromEntries([...watchedPaths(project.cacheDir), ...done.published, ...done.summaries, dryRun].map((p) => [p, statSig(p)]));
      writeStamp(project.cacheDir, { key, inputs: Object.fromEntries(project.hasher.seen), globs, watched, summaries: done.summaries, upToDate, dryRun });
    }
  }
}

/** The SLURM executor for remote-capable tasks (`executor=slurm`); other tasks stay in this process. */
async function remoteExecutor(config: SlurmExecutorConfig, o: { root: string; cacheDir: string; emit: (e: RunEvent) => void; signal: AbortSignal }) {
  const [{ SlurmExecutor, isRemoteCapable }, { taskLogger }] = await Promise.all([import('../hpc/executor/slurm-executor.js'), import('../engine/runner/task-context.js')]);
  const slurm = new SlurmExecutor({ config, projectRoot: o.root, cacheDir: o.cacheDir, log: taskLogger('executor', o.emit), signal: o.signal });
  return { executorFor: (t: Task) => (isRemoteCapable(t) ? slurm : undefined), close: () => slurm.close() };
}
