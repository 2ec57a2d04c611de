/**
 * `bench graph` rendering. Only `ascii` lives here; the other formats plug in through
 * `GRAPH_FORMATS`, which their module fills in.
 */
import { formatReason } from '../hash/fingerprint.js';
import type { Plan } from '../runner/plan.js';
import type { TaskGraph } from '../graph/task-graph.js';
import { renderHtml } from './render-html.js';
import { renderDot, renderJson, renderMermaid } from './render-text.js';

export type GraphFormat = 'ascii' | 'dot' | 'mermaid' | 'json' | 'html';

/** Renderers by format; formats other than ascii register themselves here. */
export const GRAPH_FORMATS: Partial<Record<GraphFormat, (graph: TaskGraph, plan: Plan) => string>> = {
  ascii: renderAscii,
  dot: renderDot,
  mermaid: renderMermaid,
  json: renderJson,
  html: renderHtml,
};

/** Renders the planned part of the graph; throws for a format with no renderer (a bug, the CLI validates). */
export function renderGraph(graph: TaskGraph, plan: Plan, format: GraphFormat): string {
  const render = GRAPH_FORMATS[format];
  if (!render) throw new Error(`no renderer for graph format ${format}`);
  return render(graph, plan);
}

const MARK = { run: '●', skip: '✓', restore: '↺', resource: '◆' } as const;

/** One line per task in dependency order, indented by depth, with its action and reason. */
function renderAscii(graph: TaskGraph, plan: Plan): string {
  const depth = new Map<string, number>();
  const lines: string[] = [];
  for (const p of plan.tasks) {
    const t = graph.tasks.get(p.id);
    const d = Math.max(0, ...(t?.deps ?? []).map((x) => (depth.get(x) ?? -1) + 1));
    depth.set(p.id, d);
    const deps = t && t.deps.length ? `  ← ${t.deps.length <= 3 ? t.deps.join(', ') : `${t.deps.length} tasks`}` : '';
    const why = p.action === 'resource' ? 'resource' : formatReason(p.reason);
    lines.push(`${'  '.repeat(Math.min(d, 20))}${MARK[p.action]} ${p.id}  [${p.action}: ${why}]${deps}`);
  }
  return lines.join('\n') + '\n';
}
