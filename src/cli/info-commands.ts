/** `bench list | status | explain TASK | graph --format F | clean | gc`. */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { selectTargets } from '../engine/graph/select-targets.js';
import { renderGraph, GRAPH_FORMATS, type GraphFormat } from '../engine/render/render-graph.js';
import { canonicalJson } from '../engine/hash/canonical-json.js';
import { explainMiss, formatReason, type Fingerprint } from '../engine/hash/fingerprint.js';
import { fingerprintOf, planRun } from '../engine/runner/plan.js';
import type { CliArgs } from './parse-args.js';
import { printDiagnostics } from './main.js';
import { openProject, type Project } from './open-project.js';
import { pidAlive } from '../engine/pid-alive.js';
import type { RunEvent } from '../engine/events/events.js';
import { recoverStale } from '../engine/runner/recover.js';

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

/** Runs an information or maintenance command; returns the exit status. */
export async function infoCommand(args: CliArgs, root: string): Promise<number> {
  if (args.command === 'clean') {
    for (const d of ['store', 'tmp', 'bench.db', 'bench.db-wal', 'bench.db-shm']) rmSync(join(root, 'cache', d), { recursive: true, force: true });
    rmSync(join(root, 'results'), { recursive: true, force: true });
    out('removed cache/store, the cache database and results/');
    return 0;
  }
  const { project, diagnostics } = await openProject(root, args.overrides);
  if (!project) return printDiagnostics(diagnostics);
  try {
    return await dispatch(args, project);
  } finally {
    project.store.saveFileStats(project.hasher.changed);
    project.store.close();
  }
}

async function dispatch(args: CliArgs, p: Project): Promise<number> {
  const sel = selectTargets(p.graph, args.targets);
  if (sel.diagnostics.length) return printDiagnostics(sel.diagnostics);
  const entries = p.store.loadEntries();
  const plan = planRun(p.graph, sel.ids, { entries, inputsOf: p.inputsOf, codeOf: p.codeOf, outputExists: (d) => p.blobs.has(d), forced: new Set(args.force) });
  switch (args.command) {
    case 'list':
      for (const id of p.graph.order) {
        const t = p.graph.tasks.get(id);
        out(`${id}  ${t?.def.kind}${t?.def.description ? `  ${t.def.description}` : ''}`);
      }
      return 0;
    case 'status':
      for (const pt of plan.tasks) out(`${pt.action === 'skip' ? 'up-to-date' : pt.action === 'resource' ? 'resource' : 'stale'}  ${pt.id}  ${pt.action === 'run' ? formatReason(pt.reason) : ''}`.trimEnd());
      return 0;
    case 'graph': {
      if (!(args.format in GRAPH_FORMATS)) {
        return printDiagnostics([{ severity: 'error', message: `unknown graph format "${args.format}"`, expected: Object.keys(GRAPH_FORMATS).join('|'), found: args.format }]);
      }
      out(renderGraph(p.graph, plan, args.format as GraphFormat));
      return 0;
    }
    case 'explain':
      return explain(p, sel.ids, entries, plan);
    case 'gc':
      await collectLeftovers(p);
      return gc(p, entries);
    default:
      return printDiagnostics([{ severity: 'error', message: `unhandled command ${args.command}` }]);
  }
}

function explain(p: Project, ids: string[], entries: ReturnType<Project['store']['loadEntries']>, plan: ReturnType<typeof planRun>): number {
  if (ids.length === p.graph.order.length && ids.length > 1) return printDiagnostics([{ severity: 'error', message: 'bench explain needs a TASK' }]);
  for (const id of ids) {
    const task = p.graph.tasks.get(id);
    if (!task) continue;
    const entry = entries.get(id);
    const fp = fingerprintOf(task, p.inputsOf(task), (d) => (plan.byId.get(d)?.action === 'resource' ? '' : entries.get(d)?.outputDigest ?? undefined), p.codeOf(task));
    out(`${id} (${task.def.kind}) — ${task.def.kind === 'resource' ? 'resource' : `${plan.byId.get(id)?.action}: ${formatReason(plan.byId.get(id)?.reason ?? { kind: 'new' })}`}`);
    out(`fingerprint now: ${fp ? JSON.stringify(JSON.parse(canonicalJson(fp)), null, 2) : '(depends on outputs not yet built)'}`);
    if (!entry) { out('last run: none'); continue; }
    const old = JSON.parse(entry.fingerprintJson) as Fingerprint;
    out(`last run: ${entry.status} at ${new Date(entry.finishedAt).toISOString()}, output ${entry.outputDigest ?? '-'}`);
    const diff = fp ? explainMiss(old, fp) : undefined;
    out(`difference: ${diff ? formatReason(diff) : fp ? 'none' : 'dependencies will rerun'}`);
  }
  return 0;
}

/** Tears down resources left by dead processes: those in the ledger, then what each resource task finds itself. */
async function collectLeftovers(p: Project): Promise<void> {
  const lines: string[] = [];
  const emit = (e: RunEvent): void => {
    if (e.kind === 'resource-down') lines.push(`tore down ${e.taskId}${e.error ? ` (${e.error})` : ''}`);
    else if (e.kind === 'task-log') lines.push(e.message);
  };
  await recoverStale({ store: p.store, graph: p.graph, emit, projectRoot: p.root, cacheDir: p.cacheDir });
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`warning: ${m}`), debug: () => undefined };
  for (const def of p.graph.defs.values()) {
    if (def.kind === 'resource' && def.cleanupLeftovers) await def.cleanupLeftovers({ projectRoot: p.root, log });
  }
  for (const l of lines) out(l);
}

/** Removes store dirs no entry references and stale temp dirs. */
function gc(p: Project, entries: ReturnType<Project['store']['loadEntries']>): number {
  const live = new Set([...entries.values()].map((e) => e.outputDigest).filter((d): d is string => !!d));
  let removed = 0;
  const storeDir = join(p.cacheDir, 'store');
  if (existsSync(storeDir)) {
    for (const d of readdirSync(storeDir)) if (!live.has(d)) { rmSync(join(storeDir, d), { recursive: true, force: true }); removed++; }
  }
  const tmp = join(p.cacheDir, 'tmp');
  if (existsSync(tmp)) {
    for (const d of readdirSync(tmp)) {
      if (!pidAlive(Number(d.split('-')[0]))) { rmSync(join(tmp, d), { recursive: true, force: true }); removed++; }
    }
  }
  out(`removed ${removed} unreferenced outputs and temp dirs`);
  return 0;
}

