/**
 * `bench graph --format html`: one self-contained page (inline SVG, CSS and script, no external
 * reference of any kind) so it opens offline and can be mailed or archived as a single file.
 */
import type { Plan } from '../runner/plan.js';
import type { TaskGraph } from '../graph/task-graph.js';
import { graphView, STATUS_COLOR, type ViewNode } from './graph-view.js';

/** Box width: six columns (the depth of a typical pipeline) fit a 1400 px window. */
const BOX_W = 214;
const COL_W = 228;
/** Labels are monospace so their width is known without a browser: at most 0.62 em per character. */
const FONT_PX = 11;
const CHAR_W = FONT_PX * 0.62;
const LINE_H = 14;
const PAD = 4;
const GAP_Y = 10;
const MAX_CHARS = Math.floor((BOX_W - 2 * PAD) / CHAR_W);

/** Escapes text for HTML/SVG content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The whole id on as many lines as the box needs: the task name, then the label broken after
 * `-`, `,` or `=` where it can be (`[small-slurm-` / `cpu_intensive-r0]`), hard-cut only when a
 * single word is wider than the box. Nothing is elided, so repetitions stay apart.
 */
export function wrapLabel(id: string, max = MAX_CHARS): string[] {
  const open = id.indexOf('[');
  const parts = open > 0 ? [id.slice(0, open), id.slice(open)] : [id];
  const lines: string[] = [];
  for (const part of parts) {
    let line = '';
    for (const word of part.split(/(?<=[-,=])/)) {
      if (line && line.length + word.length > max) {
        lines.push(line);
        line = '';
      }
      line += word;
      while (line.length > max) {
        lines.push(line.slice(0, max));
        line = line.slice(max);
      }
    }
    if (line) lines.push(line);
  }
  return lines;
}

interface Placed {
  x: number;
  y: number;
  lines: string[];
  h: number;
}

/** Places nodes in columns by depth and stacks each column's boxes, each as tall as its label. */
function layout(nodes: ViewNode[]): { pos: Map<string, Placed>; width: number; height: number } {
  const bottom: number[] = [];
  const pos = new Map<string, Placed>();
  for (const n of nodes) {
    const lines = wrapLabel(n.id);
    const h = lines.length * LINE_H + 2 * PAD - 2;
    const y = bottom[n.depth] ?? 10;
    bottom[n.depth] = y + h + GAP_Y;
    pos.set(n.id, { x: 10 + n.depth * COL_W, y, lines, h });
  }
  const height = Math.max(20, ...bottom.map((b) => (b ?? 0) + 10));
  return { pos, width: 20 + Math.max(1, bottom.length) * COL_W - (COL_W - BOX_W), height };
}

const STYLE = `body{font-family:sans-serif;margin:0}header{padding:8px 12px;border-bottom:1px solid #ccc}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:4px}
#info{font-family:monospace;white-space:pre-wrap;min-height:1.2em}
svg{display:block;max-width:100%;height:auto}svg text{font:${FONT_PX}px monospace;pointer-events:none}
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
    const x1 = a.x + BOX_W, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    parts.push(`<path d="M${x1} ${y1}C${x1 + 20} ${y1} ${x2 - 20} ${y2} ${x2} ${y2}"/>`);
  }
  for (const n of v.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const lines = p.lines.map((l, i) => `<tspan x="${p.x + PAD}" y="${p.y + PAD + 10 + i * LINE_H}">${esc(l)}</tspan>`).join('');
    parts.push(`<g class="n" data-id="${esc(n.id)}" data-action="${n.action}" data-detail="${esc(n.detail)}">` +
      `<title>${esc(`${n.id}\n${n.action}: ${n.detail}`)}</title>` +
      `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${p.h}" fill="${STATUS_COLOR[n.action]}"/>` +
      `<text>${lines}</text></g>`);
  }
  const count = (a: string): number => v.nodes.filter((n) => n.action === a).length;
  const legend = (['run', 'skip', 'restore', 'resource'] as const).filter((a) => a !== 'restore' || count(a) > 0)
    .map((a) => `<span style="background:${STATUS_COLOR[a]}">${a} (${count(a)})</span>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bench graph</title><style>${STYLE}</style></head>
<body><header><div class="legend">${legend}<input id="q" placeholder="filter by task id"></div>
<div id="info">click a task for its action and reason</div></header>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>
<script>${SCRIPT}</script></body></html>
`;
}
