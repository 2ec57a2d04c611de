/**
 * Sessions: `bench up TARGET [OVERRIDE...]` brings resources up and keeps them up after the
 * command returns (kept rows in the ledger, which later runs reuse instead of bringing up a
 * second instance); `bench status` lists every live resource; `bench down [TARGET...]` tears
 * kept sessions down, dependents first. `gc` and crash recovery never touch kept rows.
 */
import { join } from 'node:path';
import { describeHolder, type LeaseRow } from '../engine/cache/cache-locks.js';
import type { LedgerRow } from '../engine/cache/sqlite-store.js';
import { ownerAlive } from '../engine/cache/process-owner.js';
import type { Diagnostic } from '../engine/diagnostic.js';
import type { RunEvent } from '../engine/events/events.js';
import { ndjsonReporter } from '../engine/events/reporters/ndjson-reporter.js';
import { plainReporter } from '../engine/events/reporters/plain-reporter.js';
import type { TaskGraph } from '../engine/graph/task-graph.js';
import { taskLogger } from '../engine/runner/task-context.js';
import { leaseRefusal, leaseRenewMs } from './lease-message.js';
import type { CliArgs } from './parse-args.js';
import { printDiagnostics } from './main.js';
import type { Project } from './open-project.js';

const out = (s: string): void => void process.stdout.write(`${s}\n`);

/** Opens the project as a run would see it (the executor group taken out of every point). */
async function open(args: CliArgs, root: string): Promise<{ project?: Project; diagnostics: Diagnostic[] }> {
  const [{ loadSources }, { takeExecutorConfig }, { openProject }] = await Promise.all([
    import('./load-sources.js'), import('../hpc/executor/take-executor-config.js'), import('./open-project.js'),
  ]);
  const loaded = await loadSources(root, args.overrides);
  const taken = takeExecutorConfig(loaded.sw.sweep);
  return openProject(root, args.overrides, { ...loaded, sw: { sweep: taken.sweep, diagnostics: [...loaded.sw.diagnostics, ...taken.diagnostics] } });
}

function reporter(cacheDir: string): { emit: (e: RunEvent) => void; flush: () => void } {
  const ndjson = ndjsonReporter(join(cacheDir, 'logs'));
  const plain = plainReporter(out);
  return { emit: (e) => { ndjson.sink(e); plain(e); }, flush: () => ndjson.flush() };
}

/** `bench up`: builds what the targets need, brings them up as kept sessions and leaves them up. */
export async function upCommand(args: CliArgs, root: string): Promise<number> {
  const { project, diagnostics } = await open(args, root);
  if (!project) return printDiagnostics(diagnostics);
  const { graph, store } = project;
  try {
    const [{ selectTargets }, { planRun }, { runGraph }, { ResourcePool }, { InProcessExecutor }, { recoverStale }] = await Promise.all([
      import('../engine/graph/select-targets.js'), import('../engine/runner/plan.js'), import('../engine/runner/run-graph.js'),
      import('../engine/runner/resource-pool.js'), import('../engine/runner/executor.js'), import('../engine/runner/recover.js'),
    ]);
    if (!args.targets.length) return printDiagnostics([{ severity: 'error', message: 'bench up needs a resource target', hint: `resource tasks: ${resourceNames(graph).join(', ')}` }]);
    const sel = selectTargets(graph, args.targets);
    if (sel.diagnostics.length) return printDiagnostics(sel.diagnostics);
    const notResources = sel.ids.filter((id) => graph.tasks.get(id)?.def.kind !== 'resource');
    if (notResources.length) {
      return printDiagnostics([{ severity: 'error', message: `bench up keeps resources up; ${notResources.join(', ')} ${notResources.length > 1 ? 'are artifacts' : 'is an artifact'}`, expected: `one of ${resourceNames(graph).join(', ')}`, found: notResources.join(', ') }]);
    }
    const maintainer = store.locks.takeLease('run', { renewEveryMs: leaseRenewMs() });
    if (maintainer) {
      process.stderr.write(leaseRefusal('up', maintainer));
      return 1;
    }
    const { emit, flush } = reporter(project.cacheDir);
    const ctrl = new AbortController();
    const onSignal = (): void => ctrl.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await recoverStale({ store, graph, emit, projectRoot: root, cacheDir: project.cacheDir });
      const plan = planRun(graph, sel.ids, { entries: store.loadEntries(), inputsOf: project.inputsOf, codeOf: project.codeOf, outputExists: (d) => project.blobs.has(d), forced: new Set(args.force) });
      // The artifacts the resources need (an image) are built as in any run; no resource comes up there.
      const built = await runGraph({ graph, plan, store, blobs: project.blobs, entries: store.loadEntries(), executor: new InProcessExecutor(), projectRoot: root, inputsOf: project.inputsOf, codeOf: project.codeOf, emit, signal: ctrl.signal, budget: project.budget });
      store.saveFileStats(project.hasher.changed);
      if (!built.ok) return built.cancelled ? 130 : 1;
      const dirOf = (id: string): string => project.blobs.dirOf(built.outputs.get(id) ?? '');
      const pool = new ResourcePool({ graph, plan, store, emit, projectRoot: root, cacheDir: project.cacheDir, signal: ctrl.signal, dirOf, keep: true });
      try {
        for (const id of sel.ids) await pool.up(id);
      } catch (e) {
        // Nothing half-up is kept: what this command brought up goes down again.
        await pool.downAll();
        process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        return ctrl.signal.aborted ? 130 : 1;
      }
      out(`kept up: ${sel.ids.join(', ')} (bench status shows them, bench down tears them down)`);
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      flush();
    }
  } finally {
    store.close();
  }
}

function resourceNames(graph: TaskGraph): string[] {
  return [...graph.defs.values()].filter((d) => d.kind === 'resource').map((d) => d.name);
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function ownerOf(r: LedgerRow): string {
  if (r.kept) return `kept session (bench up, PID ${r.pid})`;
  if (ownerAlive({ pid: r.pid, start: r.ownerStart ?? '' })) return `run PID ${r.pid}`;
  return `dead run PID ${r.pid} (orphan: bench gc or the next run tears it down)`;
}

/** Prints every live resource of the project with what its task's `describe` says of its handle. */
/** The live processes holding the cache (runs, clean/gc): PID, command, last heartbeat, and a hint when one is silent. */
function printLeases(leases: LeaseRow[]): void {
  const live = leases.filter((l) => l.alive);
  out(live.length ? `\nprocesses using this cache (${live.length}):` : '\nprocesses using this cache: none');
  for (const l of live) {
    const { text, silent } = describeHolder(l);
    out(`  ${text}${silent ? ` — silent: it may be hung; if so, end it with kill ${l.pid}` : ''}`);
  }
}

export async function printLiveResources(project: Project): Promise<void> {
  const rows = project.store.ledger({ withKept: true }).sort((a, b) => a.startedAt - b.startedAt);
  out(rows.length ? `\nlive resources (${rows.length}):` : '\nlive resources: none');
  const now = Date.now();
  for (const r of rows) {
    out(`  ${r.taskId}  kind ${r.name}  owner ${ownerOf(r)}  age ${age(now - r.startedAt)}`);
    const def = project.graph.defs.get(r.name);
    if (def?.kind !== 'resource' || !def.describe) continue;
    const ctx = { signal: AbortSignal.timeout(30_000), log: taskLogger(r.taskId, () => undefined), outDir: join(project.cacheDir, 'resources', r.taskId.replace(/[^\w.@-]+/g, '_')), projectRoot: project.root };
    try {
      const info = await def.describe(r.handle, ctx);
      out(`    ${Object.entries(info).map(([k, v]) => `${k}: ${v}`).join('  ')}`);
    } catch (e) {
      out(`    (could not describe: ${e instanceof Error ? e.message : String(e)})`);
    }
  }
}

/** `bench status`'s resource part: opens the project and lists its live resources. */
export async function statusResources(args: CliArgs, root: string): Promise<number> {
  const { project, diagnostics } = await open(args, root);
  if (!project) return printDiagnostics(diagnostics);
  try {
    printLeases(project.store.locks.leases());
    await printLiveResources(project);
    return 0;
  } finally {
    project.store.close();
  }
}

/** Names of the tasks that need `name`, directly or through others (what must go down before it). */
function dependentsOf(graph: TaskGraph, names: Set<string>): Set<string> {
  const all = new Set(names);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of graph.defs.values()) {
      if (!all.has(d.name) && (d.needs ?? []).some((n) => all.has(n))) {
        all.add(d.name);
        grew = true;
      }
    }
  }
  return all;
}

/** `bench down [TARGET...]`: tears down kept sessions (all, or those matching), newest first. */
export async function downCommand(args: CliArgs, root: string): Promise<number> {
  const { project, diagnostics } = await open(args, root);
  if (!project) return printDiagnostics(diagnostics);
  const { graph, store } = project;
  const { tearDownRow } = await import('../engine/runner/recover.js');
  const { emit, flush } = reporter(project.cacheDir);
  try {
    const kept = store.ledger({ withKept: true }).filter((r) => r.kept);
    const match = (r: LedgerRow, t: string): boolean => r.taskId === t || r.name === t || r.taskId.startsWith(`${t}[`);
    const named = new Set(kept.filter((r) => args.targets.some((t) => match(r, t))).map((r) => r.name));
    // A resource goes down with everything kept on top of it (a cluster takes its scheduler and services).
    const names = dependentsOf(graph, named);
    const chosen = args.targets.length ? kept.filter((r) => names.has(r.name) && (args.targets.some((t) => match(r, t)) || !named.has(r.name))) : kept;
    if (!chosen.length) {
      out(args.targets.length ? `no kept session matches ${args.targets.join(', ')}` : 'no kept sessions');
      return 0;
    }
    // Reverse dependency order: a resource came up after what it runs on.
    let failed = 0;
    for (const r of chosen.sort((a, b) => b.startedAt - a.startedAt)) {
      const error = await tearDownRow(r, { store, graph, emit, projectRoot: root, cacheDir: project.cacheDir });
      emit({ kind: 'resource-down', at: Date.now(), taskId: r.taskId, ...(error ? { error } : {}) });
      if (error) failed++;
    }
    if (failed) process.stderr.write(`error: ${failed} kept session(s) could not be torn down and stay in the ledger; fix the cause above and run bench down again\n`);
    return failed ? 1 : 0;
  } finally {
    flush();
    store.close();
  }
}
