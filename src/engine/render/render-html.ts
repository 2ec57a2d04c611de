/**
 * `bench graph --format html`: one self-contained page (inline SVG, CSS and script, no external
 * reference of any kind) so it opens offline and can be mailed or archived as a single file.
 */
import type { Plan } from '../runner/plan.js';
import type { TaskGraph } from '../graph/task-graph.js';
import { graphView, STATUS_COLOR, type ViewNode } from './graph-view.js';

const COL_W = 260;
const ROW_H = 44;
const BOX_W = 220;
const BOX_H = 30;

/** Escapes text for HTML/SVG content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Places nodes in columns by depth, rows by order of appearance within the column. */
function layout(nodes: ViewNode[]): { pos: Map<string, { x: number; y: number }>; width: number; height: number } {
  const rows: number[] = [];
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const r = rows[n.depth] ?? 0;
    rows[n.depth] = r + 1;
    pos.set(n.id, { x: 10 + n.depth * COL_W, y: 10 + r * ROW_H });
  }
  const maxRows = Math.max(1, ...rows.map((r) => r ?? 0));
  return { pos, width: 20 + rows.length * COL_W, height: 20 + maxRows * ROW_H };
}

const STYLE = `body{font-family:sans-serif;margin:0}header{padding:8px 12px;border-bottom:1px solid #ccc}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:4px}
#info{font-family:monospace;white-space:pre-wrap;min-height:1.2em}svg text{font-size:11px;pointer-events:none}
g.n rect{stroke:#333;rx:5}g.n.hl rect{stroke:#000;stroke-width:3}g.n.dim{opacity:.25}path{fill:none;stroke:#999}`;

const SCRIPT = `const info=document.getElementById('info');
document.querySelectorAll('g.n').forEach(g=>g.addEventListener('click',()=>{
info.textContent=g.dataset.id+'  ['+g.dataset.action+': '+g.dataset.detail+']';
document.querySelectorAll('g.n.hl').forEach(x=>x.classList.remove('hl'));g.classList.add('hl');}));
document.getElementById('q').addEventListener('input',e=>{const q=e.target.value;
document.querySelectorAll('g.n').forEach(g=>g.classList.toggle('dim',q!==''&&!g.dataset.id.includes(q)));});`;

/** Renders the planned graph as a single offline HTML document. */
export function renderHtml(graph: TaskGraph, plan: Plan): string {
  const v = graphView(graph, plan);
  const { pos, width, height } = layout(v.nodes);
  const parts: string[] = [];
  for (const e of v.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + BOX_W, y1 = a.y + BOX_H / 2, x2 = b.x, y2 = b.y + BOX_H / 2;
    parts.push(`<path d="M${x1} ${y1}C${x1 + 20} ${y1} ${x2 - 20} ${y2} ${x2} ${y2}"/>`);
  }
  for (const n of v.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const label = n.id.length > 34 ? `${n.id.slice(0, 33)}…` : n.id;
    parts.push(`<g class="n" data-id="${esc(n.id)}" data-action="${n.action}" data-detail="${esc(n.detail)}">` +
      `<title>${esc(`${n.id}\n${n.action}: ${n.detail}`)}</title>` +
      `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" fill="${STATUS_COLOR[n.action]}"/>` +
      `<text x="${p.x + 6}" y="${p.y + 19}">${esc(label)}</text></g>`);
  }
  const count = (a: string): number => v.nodes.filter((n) => n.action === a).length;
  const legend = (['run', 'skip', 'resource'] as const)
    .map((a) => `<span style="background:${STATUS_COLOR[a]}">${a} (${count(a)})</span>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bench graph</title><style>${STYLE}</style></head>
<body><header><div class="legend">${legend}<input id="q" placeholder="filter by task id"></div>
<div id="info">click a task for its action and reason</div></header>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>
<script>${SCRIPT}</script></body></html>
`;
}
