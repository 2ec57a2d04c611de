/**
 * The neutral view every graph renderer draws from: planned tasks with their status and the
 * dependency edges between them, computed once in linear time so each format is a plain pass.
 */
import { formatReason } from '../hash/fingerprint.js';
import type { Plan, PlanAction } from '../runner/plan.js';
import type { TaskGraph } from '../graph/task-graph.js';

/** One planned task as drawn. */
export interface ViewNode {
  id: string;
  name: string;
  action: PlanAction;
  /** Reason kind (`up-to-date`, `input-changed`, ...), or `resource`. */
  reason: string;
  /** Human text of the reason, e.g. `input changed: in/a.txt`. */
  detail: string;
  /** Longest dependency path from a root, for layered layouts. */
  depth: number;
}

/** The planned subgraph: nodes in topological order, edges dependency → dependent. */
export interface GraphView {
  nodes: ViewNode[];
  edges: { from: string; to: string }[];
}

/** Fill colours by status, shared so every format tells the same story. */
export const STATUS_COLOR: Record<PlanAction, string> = { run: '#f4a261', skip: '#8ecae6', restore: '#cdb4db', resource: '#b5e48c' };

/** Builds the view of the tasks the plan needs; edges to tasks outside the plan are left out. */
export function graphView(graph: TaskGraph, plan: Plan): GraphView {
  const depth = new Map<string, number>();
  const nodes: ViewNode[] = [];
  const edges: GraphView['edges'] = [];
  for (const p of plan.tasks) {
    const t = graph.tasks.get(p.id);
    let d = 0;
    for (const dep of t?.deps ?? []) {
      const dd = depth.get(dep);
      if (dd === undefined) continue;
      if (dd + 1 > d) d = dd + 1;
      edges.push({ from: dep, to: p.id });
    }
    depth.set(p.id, d);
    const reason = p.action === 'resource' ? 'resource' : p.reason.kind;
    const detail = p.action === 'resource' ? 'resource' : formatReason(p.reason);
    nodes.push({ id: p.id, name: t?.name ?? p.id, action: p.action, reason, detail, depth: d });
  }
  return { nodes, edges };
}
