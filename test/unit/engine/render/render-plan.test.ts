import { describe, expect, it } from 'vitest';
import { briefReason, renderPlan } from '../../../../src/engine/render/render-plan.js';
import type { Task, TaskGraph } from '../../../../src/engine/graph/task-graph.js';
import type { Plan, PlannedTask } from '../../../../src/engine/runner/plan.js';

function fixture(spec: [string, PlannedTask['action'], PlannedTask['reason']][]): { graph: TaskGraph; plan: Plan } {
  const tasks = new Map<string, Task>();
  const planned: PlannedTask[] = [];
  for (const [id, action, reason] of spec) {
    tasks.set(id, { id, name: id.split('[')[0] ?? id, label: id, def: {} as Task['def'], points: [], rep: undefined, config: {}, deps: [] });
    planned.push({ id, action, reason, fingerprint: undefined });
  }
  const graph: TaskGraph = { tasks, order: [...tasks.keys()], defs: new Map(), byPoint: new Map() };
  return { graph, plan: { targets: [], tasks: planned, byId: new Map(planned.map((p) => [p.id, p])) } };
}

describe('dry-run plan text', () => {
  it('leads with a count table per task name and action, then one line per task, then the totals', () => {
    const { graph, plan } = fixture([
      ['build[all]', 'skip', { kind: 'up-to-date' }],
      ['up[a]', 'resource', { kind: 'new' }],
      ['up[b]', 'resource', { kind: 'new' }],
      ['run[a-r0]', 'run', { kind: 'new' }],
      ['run[a-r1]', 'run', { kind: 'forced' }],
      ['run[b-r0]', 'run', { kind: 'new' }],
      ['run[b-r1]', 'skip', { kind: 'up-to-date' }],
    ]);
    const lines = renderPlan(graph, plan).trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'task   run  skip  resource  total  why (runs)',
      'build    0     1         0      1',
      'up       0     0         2      2',
      'run      3     1         0      4  new 2, forced 1',
      'total    3     2         2      7',
    ]);
    // Each instance once, in plan order, after the table.
    expect(lines.filter((l) => /^(run|skip|resource)\s+\S+\[/.test(l))).toEqual([
      'skip     build[all]  up-to-date', 'resource up[a]  brought up if a dependent runs', 'resource up[b]  brought up if a dependent runs',
      'run      run[a-r0]  new', 'run      run[a-r1]  forced', 'run      run[b-r0]  new', 'skip     run[b-r1]  up-to-date',
    ]);
    expect(lines.at(-1)).toBe('3 to run, 2 up to date, 2 resources');
  });

  it('shows a restore column, line and count only when some task takes back an earlier commit', () => {
    const { graph, plan } = fixture([
      ['gen[a]', 'restore', { kind: 'config-changed', keyPath: 'w', old: 50, new: 10 }],
      ['gen[b]', 'skip', { kind: 'up-to-date' }],
      ['use[a]', 'run', { kind: 'new' }],
    ]);
    (plan.byId.get('gen[a]') as PlannedTask).restored = { taskId: 'gen[a]', status: 'done', digest: 'd', fingerprintJson: '{}', outputDigest: 'o', finishedAt: Date.UTC(2026, 0, 2) };
    const lines = renderPlan(graph, plan).trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'task   run  skip  restore  resource  total  why (runs)',
      'gen      0     1        1         0      2',
      'use      1     0        0         0      1  new 1',
      'total    1     1        1         0      3',
    ]);
    expect(lines).toContain('restore  gen[a]  config-changed: w 50 → 10; the same fingerprint was committed at 2026-01-02T00:00:00.000Z: its output is taken back, not run');
    expect(lines.at(-1)).toBe('1 to run, 1 to restore from history, 1 up to date, 0 resources');
  });

  it('summarises a changed list by its length and the first few items removed or added', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i}-r0`);
    const text = briefReason({ kind: 'config-changed', keyPath: 'points', old: ids(81), new: ids(54) });
    expect(text).toBe('config-changed: points 81 items → 54 items (removed p54-r0, p55-r0, p56-r0 and 24 more)');
    const both = briefReason({ kind: 'config-changed', keyPath: 'points', old: ['a', 'b'], new: ['b', 'c', 'd', 'e', 'f'] });
    expect(both).toBe('config-changed: points 2 items → 5 items (removed a; added c, d, e and 1 more)');
  });

  it('keeps short reasons as they are and cuts long scalar values', () => {
    expect(briefReason({ kind: 'config-changed', keyPath: 'sched.window', old: 10, new: 50 })).toBe('config-changed: sched.window 10 → 50');
    const long = briefReason({ kind: 'config-changed', keyPath: 'note', old: 'x'.repeat(500), new: 'y' });
    expect(long.length).toBeLessThan(120);
    expect(long).toMatch(/^config-changed: note "x+… → "y"$/);
    expect(briefReason({ kind: 'input-changed', file: `${'d/'.repeat(200)}f.txt` })).toMatch(/… \(\d+ more characters\)$/);
  });
});
