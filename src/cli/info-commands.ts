/** `bench list | status | explain TASK | graph --format F` (clean and gc: `clean-command.ts`). */
import { selectTargets } from '../engine/graph/select-targets.js';
import { didYouMeanTargets } from '../engine/graph/suggest-targets.js';
import type { Diagnostic } from '../engine/diagnostic.js';
import { renderGraph, GRAPH_FORMATS, type GraphFormat } from '../engine/render/render-graph.js';
import { canonicalJson } from '../engine/hash/canonical-json.js';
import { explainMiss, formatReason, type Fingerprint } from '../engine/hash/fingerprint.js';
import { fingerprintOf, plannedOutput, planRun } from '../engine/runner/plan.js';
import type { CliArgs } from './parse-args.js';
import { printDiagnostics } from './main.js';
import { openProject, type Project } from './open-project.js';

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

/** Runs an information or maintenance command; returns the exit status. */
export async function infoCommand(args: CliArgs, root: string): Promise<number> {
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
  if (sel.diagnostics.length) return printDiagnostics(unmatchedTargets(p, args.targets));
  const entries = p.store.loadEntries();
  const plan = planRun(p.graph, sel.ids, {
    entries, inputsOf: p.inputsOf, codeOf: p.codeOf, outputExists: (d) => p.blobs.has(d), historyOf: (id, digest) => p.store.historyEntry(id, digest), forced: new Set(args.force),
  });
  switch (args.command) {
    case 'list':
      for (const id of p.graph.order) {
        const t = p.graph.tasks.get(id);
        out(`${id}  ${t?.def.kind}${t?.def.description ? `  ${t.def.description}` : ''}`);
      }
      return 0;
    case 'status':
      for (const pt of plan.tasks) {
        const state = pt.action === 'skip' ? 'up-to-date' : pt.action === 'resource' ? 'resource' : pt.action === 'restore' ? 'restore' : 'stale';
        out(`${state}  ${pt.id}  ${pt.action === 'run' || pt.action === 'restore' ? formatReason(pt.reason) : ''}`.trimEnd());
      }
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
    default:
      return printDiagnostics([{ severity: 'error', message: `unhandled command ${args.command}` }]);
  }
}

/** One error per target that selects nothing, each with the closest task names or ids. */
function unmatchedTargets(p: Project, specs: string[]): Diagnostic[] {
  return specs.flatMap((spec) => selectTargets(p.graph, [spec]).diagnostics.map((d) => {
    const hint = didYouMeanTargets(p.graph, spec);
    return hint ? { ...d, hint } : d;
  }));
}

function explain(p: Project, ids: string[], entries: ReturnType<Project['store']['loadEntries']>, plan: ReturnType<typeof planRun>): number {
  if (ids.length === p.graph.order.length && ids.length > 1) return printDiagnostics([{ severity: 'error', message: 'bench explain needs a TASK' }]);
  for (const id of ids) {
    const task = p.graph.tasks.get(id);
    if (!task) continue;
    const entry = entries.get(id);
    const fp = fingerprintOf(task, p.inputsOf(task), (d) => plannedOutput(plan.byId, entries, d), p.codeOf(task));
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
