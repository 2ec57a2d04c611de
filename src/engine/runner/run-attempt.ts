/**
 * One task's attempts: bring up what it needs, run it through the executor, commit the output
 * (temp dir → content address → manifest → row) or record the failure with what was thrown,
 * retrying with backoff. Also the reuse of an earlier commit with the same fingerprint.
 */
import { rmSync } from 'node:fs';
import { writeManifest } from '../cache/manifests.js';
import type { Task, TaskId } from '../graph/task-graph.js';
import { fingerprintDigest, fingerprintJson, type Fingerprint, type Reason } from '../hash/fingerprint.js';
import type { TaskOutcome } from '../events/events.js';
import { failureOf } from './executor.js';
import type { ResourcePool } from './resource-pool.js';
import type { RunOptions } from './run-graph.js';
import { makeContext } from './task-context.js';
import { restorable } from './plan.js';

/**
 * A task whose fingerprint was committed before (by a wider or narrower sweep, whose latest entry
 * has since been replaced) takes that output back instead of running again.
 */
export function restoreFromHistory(o: RunOptions, id: TaskId, fp: Fingerprint, d: { action: 'run' | 'skip'; reason: Reason }): { action: 'run' | 'skip'; reason: Reason } {
  if (d.action === 'skip') return d;
  const old = restorable(id, fp, d.reason, { outputExists: (x) => o.blobs.has(x), historyOf: (t, digest) => o.store.historyEntry(t, digest) });
  if (!old) return d;
  o.store.putEntry({ ...old, finishedAt: Date.now() });
  return { action: 'skip', reason: { kind: 'restored', finishedAt: old.finishedAt } };
}

export async function runWithRetries(o: RunOptions, task: Task, fp: Fingerprint, reason: Reason, pool: ResourcePool, dirOf: (id: TaskId) => string, outputs: Map<TaskId, string>): Promise<TaskOutcome> {
  const retries = task.def.retries ?? 0;
  for (let attempt = 1; ; attempt++) {
    const t0 = Date.now();
    o.emit({ kind: 'task-started', at: t0, taskId: task.id, attempt, reason });
    const tmp = o.blobs.makeTemp();
    let result;
    try {
      await pool.ensureFor(task);
      const ctx = makeContext({ graph: o.graph, task, signal: o.signal, outDir: tmp, projectRoot: o.projectRoot, emit: o.emit, dirOf, handleOf: (d) => pool.handleOf(d) });
      result = await (o.executorFor?.(task) ?? o.executor).run(task, ctx, task.def.timeoutMs, { digest: fingerprintDigest(fp), fingerprintJson: fingerprintJson(fp) });
    } catch (e) {
      // A resource whose `up` was interrupted by the abort is a cancellation, not a failure.
      const f = failureOf(e, o.signal.aborted ? 'cancelled' : 'resource-failed');
      result = { ...f, reason: o.signal.aborted ? ('cancelled' as const) : ('resource-failed' as const), error: `resource failed: ${f.error}` };
    }
    const ms = Date.now() - t0;
    if (result.kind === 'ok') {
      const outputDigest = o.blobs.commit(tmp);
      const entry = { taskId: task.id, status: 'done' as const, digest: fingerprintDigest(fp), fingerprintJson: fingerprintJson(fp), outputDigest, finishedAt: Date.now() };
      // Manifest before row: the index can always be rebuilt from what the store holds.
      writeManifest(o.blobs.cacheDir, entry);
      o.store.putEntry(entry);
      outputs.set(task.id, outputDigest);
      o.emit({ kind: 'task-finished', at: Date.now(), taskId: task.id, outcome: 'ok', reason, ms });
      return 'ok';
    }
    rmSync(tmp, { recursive: true, force: true });
    const last = attempt > retries || result.reason === 'cancelled' || o.signal.aborted;
    if (last) {
      if (result.reason !== 'cancelled') {
        o.store.putEntry({ taskId: task.id, status: 'failed', digest: fingerprintDigest(fp), fingerprintJson: fingerprintJson(fp), outputDigest: null, finishedAt: Date.now() });
      }
      const thrown = { ...(result.errorKind ? { errorKind: result.errorKind } : {}), ...(result.stack ? { stack: result.stack } : {}) };
      o.emit({ kind: 'task-finished', at: Date.now(), taskId: task.id, outcome: result.reason, reason, ms, error: result.error, ...thrown });
      return result.reason;
    }
    o.emit({ kind: 'task-log', at: Date.now(), taskId: task.id, level: 'warn', message: `attempt ${attempt} failed (${result.error}); retrying` });
    await backoff(100 * 2 ** (attempt - 1), o.signal);
  }
}

function backoff(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
