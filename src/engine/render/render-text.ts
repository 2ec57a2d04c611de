/**
 * Text graph formats: Graphviz DOT, Mermaid flowchart and JSON. Each is one linear pass over the
 * view, so 10^5-node graphs render in well under a second.
 */
import type { Plan } from '../runner/plan.js';
import type { TaskGraph } from '../graph/task-graph.js';
import { graphView, STATUS_COLOR } from './graph-view.js';

/** DOT string literal: ids contain `[`, `]`, `=` and `:`, so every id is quoted and escaped. */
function dotQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Graphviz digraph, nodes filled by status, tooltip carrying the reason. */
export function renderDot(graph: TaskGraph, plan: Plan): string {
  const v = graphView(graph, plan);
  const out: string[] = ['digraph bench {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fontname="sans-serif"];'];
  for (const n of v.nodes) {
    const label = `${n.id}\\n${n.action}: ${n.detail.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}`;
    out.push(`  ${dotQuote(n.id)} [label="${label}", fillcolor="${STATUS_COLOR[n.action]}", tooltip=${dotQuote(n.detail)}];`);
  }
  for (const e of v.edges) out.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)};`);
  out.push('}');
  return out.join('\n') + '\n';
}

/** Mermaid label text: quotes and markup characters become entity codes Mermaid understands. */
function mermaidText(s: string): string {
  return s.replace(/[&"<>#[\]{}()|]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Mermaid flowchart; node ids are positional (`n0`, `n1`, ...) because task ids are not safe ids. */
export function renderMermaid(graph: TaskGraph, plan: Plan): string {
  const v = graphView(graph, plan);
  const key = new Map<string, string>();
  const out: string[] = ['flowchart LR'];
  for (const action of ['run', 'skip', 'resource'] as const) {
    out.push(`  classDef ${action} fill:${STATUS_COLOR[action]},stroke:#333`);
  }
  v.nodes.forEach((n, i) => {
    const k = `n${i}`;
    key.set(n.id, k);
    out.push(`  ${k}["${mermaidText(n.id)}<br/>${n.action}: ${mermaidText(n.detail)}"]:::${n.action}`);
  });
  for (const e of v.edges) out.push(`  ${key.get(e.from)} --> ${key.get(e.to)}`);
  return out.join('\n') + '\n';
}

/** `{ nodes, edges }` with each node's action, reason kind and reason text. */
export function renderJson(graph: TaskGraph, plan: Plan): string {
  const v = graphView(graph, plan);
  return JSON.stringify({ targets: plan.targets, nodes: v.nodes, edges: v.edges }) + '\n';
}
