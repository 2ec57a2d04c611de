/**
 * Crash recovery at the start of a run: claims held by dead processes are dropped (their tasks
 * simply rerun: a task is committed only by its row), and resources the ledger says are still up
 * for a dead owner are torn down with the recorded handle, the last to come up first. Kept
 * sessions (`bench up`) are not leftovers: only `bench down` tears them down.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRow, SqliteStore } from '../cache/sqlite-store.js';
import { ownerAlive } from '../cache/process-owner.js';
import type { ResourceTaskDef } from '../graph/task-def.js';
import type { TaskGraph } from '../graph/task-graph.js';
import type { EventSink } from '../events/events.js';
import { taskLogger } from './task-context.js';

/** Returns the ids of resources torn down. */
export async function recoverStale(o: { store: SqliteStore; graph: TaskGraph; emit: EventSink; projectRoot: string; cacheDir: string }): Promise<string[]> {
  o.store.clearClaims(o.store.deadClaims());
  const downed: string[] = [];
  // Newest first: a resource comes up after the ones it runs on, and its teardown may still need
  // them (a scheduler's stop talks to the cluster's hosts, which the cluster's teardown removes).
  const rows = o.store.ledger().reverse().sort((a, b) => b.startedAt - a.startedAt);
  for (const row of rows) {
    const owner = { pid: row.pid, start: row.ownerStart ?? '' };
    // A live owner (another run, or this one) tears down its own resources.
    if (ownerAlive(owner)) continue;
    if (o.graph.defs.get(row.name)?.kind !== 'resource') continue;
    const error = await tearDownRow(row, o);
    if (!error) downed.push(row.taskId);
    o.emit({ kind: 'resource-down', at: Date.now(), taskId: row.taskId, ...(error ? { error: `leftover teardown failed: ${error}` } : {}) });
  }
  return downed;
}

/**
 * Tears down one ledger row with its recorded handle and deletes the row; returns the error
 * message when the teardown failed (the row then stays). Used for dead runs' rows and, by
 * `bench down`, for kept sessions.
 */
export async function tearDownRow(row: LedgerRow, o: { store: SqliteStore; graph: TaskGraph; emit: EventSink; projectRoot: string; cacheDir: string }): Promise<string | undefined> {
  const def = o.graph.defs.get(row.name);
  if (def?.kind !== 'resource') return `no resource task named ${row.name} in this benchfile`;
  const task = o.graph.tasks.get(row.taskId);
  const outDir = join(o.cacheDir, 'resources', row.taskId.replace(/[^\w.@-]+/g, '_'));
  mkdirSync(outDir, { recursive: true });
  try {
    await (def as ResourceTaskDef).down(row.handle, {
      signal: new AbortController().signal,
      outDir,
      log: taskLogger(row.taskId, o.emit),
      projectRoot: o.projectRoot,
      config: task?.config ?? {},
      points: task?.points ?? [],
      rep: task?.rep,
      deps: {},
    });
    o.store.ledgerDelete(row.taskId, { pid: row.pid, start: row.ownerStart ?? '' });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
