import { describe, expect, it } from 'vitest';
import { renderGraph } from '../../../../src/engine/render/render-graph.js';
import type { Task, TaskGraph } from '../../../../src/engine/graph/task-graph.js';
import type { Plan, PlannedTask } from '../../../../src/engine/runner/plan.js';

/** A small graph whose ids carry the characters that break naive DOT/Mermaid output. */
function fixture(): { graph: TaskGraph; plan: Plan } {
  const spec: [string, string[], PlannedTask['action'], PlannedTask['reason']][] = [
    ['image[os="deb"]', [], 'skip', { kind: 'up-to-date' }],
    ['cluster:up', [], 'resource', { kind: 'new' }],
    ['workload:run[scheduler=slurm]', ['image[os="deb"]', 'cluster:up'], 'run', { kind: 'input-changed', file: 'in/<a>.txt' }],
    ['report:pareto', ['workload:run[scheduler=slurm]'], 'run', { kind: 'dependency-changed', dep: 'workload:run[scheduler=slurm]' }],
  ];
  const tasks = new Map<string, Task>();
  const planned: PlannedTask[] = [];
  for (const [id, deps, action, reason] of spec) {
    tasks.set(id, { id, name: id.split('[')[0] ?? id, label: id, def: {} as Task['def'], points: [], rep: undefined, config: {}, deps });
    planned.push({ id, action, reason, fingerprint: undefined });
  }
  const graph: TaskGraph = { tasks, order: [...tasks.keys()], defs: new Map(), byPoint: new Map() };
  return { graph, plan: { targets: ['report:pareto'], tasks: planned, byId: new Map(planned.map((p) => [p.id, p])) } };
}

describe('graph export', () => {
  it('json lists every node with action and reason and every dependency edge', () => {
    const { graph, plan } = fixture();
    const j = JSON.parse(renderGraph(graph, plan, 'json')) as { nodes: { id: string; action: string; reason: string; detail: string }[]; edges: { from: string; to: string }[] };
    expect(j.nodes.map((n) => [n.id, n.action, n.reason])).toEqual([
      ['image[os="deb"]', 'skip', 'up-to-date'],
      ['cluster:up', 'resource', 'resource'],
      ['workload:run[scheduler=slurm]', 'run', 'input-changed'],
      ['report:pareto', 'run', 'dependency-changed'],
    ]);
    expect(j.nodes[2]?.detail).toContain('in/<a>.txt');
    expect(j.edges).toContainEqual({ from: 'cluster:up', to: 'workload:run[scheduler=slurm]' });
    expect(j.edges).toHaveLength(3);
  });

  it('dot quotes every id and escapes embedded quotes', () => {
    const { graph, plan } = fixture();
    const dot = renderGraph(graph, plan, 'dot');
    expect(dot.startsWith('digraph bench {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot).toContain('"image[os=\\"deb\\"]" -> "workload:run[scheduler=slurm]";');
    const nodeLines = dot.split('\n').filter((l) => /^ {2}".*\[label=/.test(l));
    expect(nodeLines).toHaveLength(4);
    // Every double quote not escaped must pair up, otherwise Graphviz rejects the line.
    for (const l of dot.split('\n')) expect((l.replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);
  });

  it('mermaid uses safe positional ids and no raw brackets or quotes in labels', () => {
    const { graph, plan } = fixture();
    const m = renderGraph(graph, plan, 'mermaid').trimEnd().split('\n');
    expect(m[0]).toBe('flowchart LR');
    const nodes = m.filter((l) => /^ {2}n\d+\[/.test(l));
    expect(nodes).toHaveLength(4);
    for (const l of nodes) {
      const inner = /^ {2}n\d+\["(.*)"\]:::(run|skip|resource)$/.exec(l);
      expect(inner, l).not.toBeNull();
      expect(inner?.[1]).not.toMatch(/["[\]]/);
    }
    expect(m.filter((l) => /^ {2}n\d+ --> n\d+$/.test(l))).toHaveLength(3);
  });

  it('html is one document with no external references', () => {
    const { graph, plan } = fixture();
    const html = renderGraph(graph, plan, 'html');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<svg');
    expect(html.match(/<g class="n"/g)).toHaveLength(4);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).not.toContain('in/<a>.txt');
  });

  it('text formats keep every node and edge of a 10^5-node chain', () => {
    const tasks = new Map<string, Task>();
    const planned: PlannedTask[] = [];
    for (let i = 0; i < 100_000; i++) {
      const id = `s:c${i}`;
      const deps = i > 0 ? [`s:c${i - 1}`] : [];
      tasks.set(id, { id, name: 's', label: id, def: {} as Task['def'], points: [], rep: undefined, config: {}, deps });
      planned.push({ id, action: 'run', reason: { kind: 'new' }, fingerprint: undefined });
    }
    const graph: TaskGraph = { tasks, order: [...tasks.keys()], defs: new Map(), byPoint: new Map() };
    const plan: Plan = { targets: [], tasks: planned, byId: new Map() };
    const dot = renderGraph(graph, plan, 'dot');
    expect(dot.match(/ -> /g)).toHaveLength(99_999);
    expect(renderGraph(graph, plan, 'mermaid').match(/ --> /g)).toHaveLength(99_999);
    const json = JSON.parse(renderGraph(graph, plan, 'json')) as { nodes: unknown[]; edges: unknown[] };
    expect([json.nodes.length, json.edges.length]).toEqual([100_000, 99_999]);
  });
});
