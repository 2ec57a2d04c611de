/** Target selection: `report:pareto`, `workload:run[scheduler=slurm,topology.nodes=4]`, or an exact TaskId. */
import type { Diagnostic } from '../diagnostic.js';
import { getKeyPath } from '../hash/canonical-json.js';
import type { TaskGraph, TaskId } from './task-graph.js';

/** Resolves target specs to instance ids; no specs selects every task. Unmatched specs are diagnostics. */
export function selectTargets(graph: TaskGraph, specs: string[]): { ids: TaskId[]; diagnostics: Diagnostic[] } {
  if (specs.length === 0) return { ids: graph.order.filter((id) => joinHolds(graph, id) !== false), diagnostics: [] };
  const ids = new Set<TaskId>();
  const diagnostics: Diagnostic[] = [];
  for (const spec of specs) {
    const m = /^([^[\]]+)(?:\[(.*)\])?$/.exec(spec);
    const name = m?.[1] ?? spec;
    const filter = m?.[2];
    if (!graph.defs.has(name)) {
      diagnostics.push({ severity: 'error', message: `unknown target "${spec}"`, hint: `known tasks: ${[...graph.defs.keys()].join(', ')}` });
      continue;
    }
    const before = ids.size;
    for (const id of graph.order) {
      const t = graph.tasks.get(id);
      if (t?.name !== name) continue;
      if (filter === undefined || filter === t.label || matchesFilter(t.points.map((p) => p.config), filter)) ids.add(id);
    }
    if (ids.size === before) diagnostics.push({ severity: 'error', message: `target "${spec}" matches no instance` });
  }
  const named = new Set([...ids].map((id) => graph.tasks.get(id)?.name));
  // Most graphs have no joining task: no walk over every instance for them.
  const joining = [...graph.defs.values()].some((d) => d.joins !== undefined && named.has(d.joins.target));
  for (const id of joining ? graph.order : []) {
    const target = graph.defs.get(graph.tasks.get(id)?.name ?? '')?.joins?.target;
    if (target !== undefined && named.has(target) && joinHolds(graph, id)) ids.add(id);
  }
  return { ids: graph.order.filter((id) => ids.has(id)), diagnostics };
}

/** Whether a joining instance's condition holds for one of its points; undefined for other tasks. */
function joinHolds(graph: TaskGraph, id: TaskId): boolean | undefined {
  const task = graph.tasks.get(id);
  const joins = graph.defs.get(task?.name ?? '')?.joins;
  if (!joins || !task) return undefined;
  return task.points.some((p) => joins.when(p.config));
}

function matchesFilter(configs: Record<string, unknown>[], filter: string): boolean {
  const pairs = filter.split(',').map((kv) => kv.split('=') as [string, string | undefined]);
  if (pairs.some(([, v]) => v === undefined)) return false;
  return configs.some((c) => pairs.every(([k, v]) => String(getKeyPath(c, k.trim())) === (v as string).trim()));
}

/** The targets plus everything they transitively need, in topological order. */
export function closureOf(graph: TaskGraph, targets: TaskId[]): TaskId[] {
  const needed = new Set<TaskId>();
  const stack = [...targets];
  while (stack.length) {
    const id = stack.pop() as TaskId;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const d of graph.tasks.get(id)?.deps ?? []) stack.push(d);
  }
  return graph.order.filter((id) => needed.has(id));
}
