/**
 * Planning a restore: a stale task whose very fingerprint was committed earlier (and whose output
 * the store still has) is planned `restore`, and its dependents see that earlier output — so a
 * sweep switched back plans nothing to run. Forced and never-committed tasks do not look.
 */
import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../../../src/engine/cache/sqlite-store.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import { buildTaskGraph, type Task } from '../../../../src/engine/graph/task-graph.js';
import { fingerprintDigest, fingerprintJson } from '../../../../src/engine/hash/fingerprint.js';
import { fingerprintOf, planRun, type PlanInputs } from '../../../../src/engine/runner/plan.js';

const defs: TaskDef[] = [
  { kind: 'artifact', name: 'a:gen', version: 1, inputs: ['in.txt'], async run() {} },
  { kind: 'artifact', name: 'b:use', version: 1, needs: ['a:gen'], async run() {} },
];
const point = { id: 'p-r0', rep: 0, config: {}, overrides: [], configHash: 'x', choices: {}, swept: {} };
const { graph } = buildTaskGraph({ benchfile: { tasks: defs }, sweep: { base: {}, points: [point] } });
const A = 'a:gen[p-r0]';
const B = 'b:use[p-r0]';
const task = (id: string): Task => graph!.tasks.get(id) as Task;

/** The committed entries of both tasks when in.txt had `content` (a's output `out-<content>`). */
function commitsFor(content: string): CacheEntry[] {
  const fa = fingerprintOf(task(A), { 'in.txt': content }, () => undefined)!;
  const fb = fingerprintOf(task(B), {}, () => `out-${content}`)!;
  return [
    { taskId: A, status: 'done', digest: fingerprintDigest(fa), fingerprintJson: fingerprintJson(fa), outputDigest: `out-${content}`, finishedAt: 1 },
    { taskId: B, status: 'done', digest: fingerprintDigest(fb), fingerprintJson: fingerprintJson(fb), outputDigest: `use-${content}`, finishedAt: 2 },
  ];
}

function inputs(content: string, history: CacheEntry[], latest: CacheEntry[], forced: string[] = []): PlanInputs & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    entries: new Map(latest.map((e) => [e.taskId, e])),
    inputsOf: (t) => (t.name === 'a:gen' ? { 'in.txt': content } : {}),
    outputExists: () => true,
    historyOf: (id, digest) => {
      asked.push(id);
      return history.find((e) => e.taskId === id && e.digest === digest);
    },
    forced: new Set(forced),
  };
}

describe('planRun with the history of commits', () => {
  it('plans restore for a task whose fingerprint was committed before, and its dependent restores from that output', () => {
    const old = commitsFor('x');
    const latest = commitsFor('y');
    const plan = planRun(graph!, [B], inputs('x', [...old, ...latest], latest));
    expect(plan.tasks.map((p) => [p.id, p.action, p.reason.kind])).toEqual([[A, 'restore', 'input-changed'], [B, 'restore', 'dependency-changed']]);
    expect(plan.byId.get(B)?.restored?.outputDigest).toBe('use-x');
  });

  it('runs what was never committed with this fingerprint, and what is forced, without restoring', () => {
    const latest = commitsFor('y');
    expect(planRun(graph!, [B], inputs('z', latest, latest)).tasks.map((p) => p.action)).toEqual(['run', 'run']);
    const forced = inputs('x', [...commitsFor('x'), ...latest], latest, ['a:gen']);
    expect(planRun(graph!, [B], forced).tasks.map((p) => [p.action, p.reason.kind])).toEqual([['run', 'forced'], ['run', 'dependency-changed']]);
  });

  it('does not look in the history for a task never committed at all (a first run of 10^5 tasks asks nothing)', () => {
    const inp = inputs('x', [], []);
    expect(planRun(graph!, [B], inp).tasks.map((p) => [p.action, p.reason.kind])).toEqual([['run', 'new'], ['run', 'new']]);
    expect(inp.asked).toEqual([]);
  });
});
