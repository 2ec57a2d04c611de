import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deadPid } from '../../../support/procs.js';
import { BlobStore } from '../../../../src/engine/cache/blob-store.js';
import { MIGRATIONS } from '../../../../src/engine/cache/migrations.js';
import { SqliteStore } from '../../../../src/engine/cache/sqlite-store.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import { buildTaskGraph, type TaskGraph } from '../../../../src/engine/graph/task-graph.js';
import { InProcessExecutor } from '../../../../src/engine/runner/executor.js';
import { planRun } from '../../../../src/engine/runner/plan.js';
import { recoverStale } from '../../../../src/engine/runner/recover.js';
import { instanceDigest, ResourcePool } from '../../../../src/engine/runner/resource-pool.js';
import { runGraph } from '../../../../src/engine/runner/run-graph.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-kept-'));
  store = new SqliteStore(join(dir, 'bench.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function graphOf(tasks: TaskDef[], config: Record<string, unknown> = { port: 1 }): TaskGraph {
  const point = { id: 'p-r0', rep: 0, config, overrides: [], configHash: 'x', choices: {}, swept: {} };
  return buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points: [point] } }).graph as TaskGraph;
}

describe('kept ledger rows', () => {
  it('outlive their owner: recovery and gc do not see them, only the kept listing does', async () => {
    const trace: string[] = [];
    const graph = graphOf([{ kind: 'resource', name: 'r:svc', version: 1, async up() { return 'h'; }, async down(h) { trace.push(`down ${String(h)}`); } }]);
    const pid = deadPid();
    store.ledgerPut({ taskId: 'r:svc[kept]', name: 'r:svc', handle: 'kept', pid, startedAt: 1, kept: true, instance: 'i1' });
    store.ledgerPut({ taskId: 'r:svc[orphan]', name: 'r:svc', handle: 'orphan', pid, startedAt: 2 });
    expect(store.ledger().map((r) => r.taskId)).toEqual(['r:svc[orphan]']);
    await recoverStale({ store, graph, emit: () => undefined, projectRoot: dir, cacheDir: dir });
    expect(trace).toEqual(['down orphan']);
    expect(store.ledger({ withKept: true })).toEqual([{ taskId: 'r:svc[kept]', name: 'r:svc', handle: 'kept', pid, ownerStart: '', startedAt: 1, kept: true, instance: 'i1' }]);
    expect(store.keptRow('r:svc[kept]', 'i1')?.handle).toBe('kept');
    expect(store.keptRow('r:svc[kept]', 'other config')).toBeUndefined();
  });

  it('a cache written before sessions is migrated: its rows are there, not kept', () => {
    store.close();
    const path = join(dir, 'old.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0] as string);
    db.exec(MIGRATIONS[1] as string);
    db.pragma('user_version = 2');
    db.prepare('INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?)').run('r:svc[a]', 42, '7', 'r:svc', '"h"', 5);
    db.close();
    store = new SqliteStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(store.ledger()).toEqual([{ taskId: 'r:svc[a]', name: 'r:svc', handle: 'h', pid: 42, ownerStart: '7', startedAt: 5 }]);
  });

  it('a pool with keep records kept rows and calls keep; a later run reuses the same instance without up or down', async () => {
    const trace: string[] = [];
    const tasks: TaskDef[] = [
      { kind: 'resource', name: 'r:svc', version: 1, reads: ['port'], async up() { trace.push('up'); return { n: trace.length }; }, async down() { trace.push('down'); }, async keep() { trace.push('keep'); } },
      { kind: 'artifact', name: 'a:client', version: 1, needs: ['r:svc'], reads: ['port'], async run(ctx) { trace.push(`run with ${JSON.stringify(ctx.deps['r:svc']?.[0]?.handle)}`); } },
    ];
    const graph = graphOf(tasks);
    const blobs = new BlobStore(dir);
    const svc = graph.order.find((id) => id.startsWith('r:svc')) as string;
    const plan = planRun(graph, [svc], { entries: new Map(), inputsOf: () => ({}), outputExists: () => false, forced: new Set() });
    const pool = new ResourcePool({ graph, plan, store, emit: () => undefined, projectRoot: dir, cacheDir: dir, signal: new AbortController().signal, dirOf: () => '', keep: true });
    await pool.up(svc);
    expect(store.ledger({ withKept: true })).toMatchObject([{ taskId: svc, kept: true, instance: instanceDigest(graph.tasks.get(svc)!), handle: { n: 1 } }]);

    const entries = store.loadEntries();
    const runPlan = planRun(graph, graph.order, { entries, inputsOf: () => ({}), outputExists: (d) => blobs.has(d), forced: new Set() });
    const summary = await runGraph({ graph, plan: runPlan, store, blobs, entries, executor: new InProcessExecutor(), projectRoot: dir, inputsOf: () => ({}), emit: () => undefined, signal: new AbortController().signal });
    expect(summary.ok).toBe(true);
    expect(trace).toEqual(['up', 'keep', 'run with {"n":1}']);
    expect(store.ledger({ withKept: true }).map((r) => r.taskId)).toEqual([svc]);

    // Another config is another instance: it comes up (and goes down) on its own.
    const other = graphOf(tasks, { port: 2 });
    const e2 = store.loadEntries();
    const plan2 = planRun(other, other.order, { entries: e2, inputsOf: () => ({}), outputExists: (d) => blobs.has(d), forced: new Set() });
    await runGraph({ graph: other, plan: plan2, store, blobs, entries: e2, executor: new InProcessExecutor(), projectRoot: dir, inputsOf: () => ({}), emit: () => undefined, signal: new AbortController().signal });
    expect(trace.slice(3)).toEqual(['up', 'run with {"n":4}', 'down']);
  });
});
