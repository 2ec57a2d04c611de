/**
 * What a user reads when something goes wrong: a thrown error keeps its kind and stack (in the
 * event, hence the NDJSON log), a resource that fails is not called a non-zero exit, and an
 * interrupted run says "interrupted" however its tasks ended.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../../src/engine/cache/blob-store.js';
import { SqliteStore } from '../../../../src/engine/cache/sqlite-store.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import { buildTaskGraph } from '../../../../src/engine/graph/task-graph.js';
import type { RunEvent } from '../../../../src/engine/events/events.js';
import { plainReporter } from '../../../../src/engine/events/reporters/plain-reporter.js';
import { InProcessExecutor } from '../../../../src/engine/runner/executor.js';
import { planRun } from '../../../../src/engine/runner/plan.js';
import { runGraph } from '../../../../src/engine/runner/run-graph.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-failure-'));
  store = new SqliteStore(join(dir, 'bench.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(tasks: TaskDef[], signal = new AbortController().signal) {
  const point = { id: 'p-r0', rep: 0, config: {}, overrides: [], configHash: 'x', choices: {}, swept: {} };
  const { graph } = buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points: [point] } });
  const blobs = new BlobStore(dir);
  const entries = store.loadEntries();
  const plan = planRun(graph!, graph!.order, { entries, inputsOf: () => ({}), outputExists: (d: string) => blobs.has(d), forced: new Set<string>() });
  const events: RunEvent[] = [];
  const lines: string[] = [];
  const plain = plainReporter((l) => lines.push(l));
  await runGraph({
    graph: graph!, plan, store, blobs, entries, executor: new InProcessExecutor(), projectRoot: dir, inputsOf: () => ({}),
    emit: (e) => { events.push(e); plain(e); }, signal, keepGoing: true, jobs: 4,
  });
  const finished = events.filter((e): e is Extract<RunEvent, { kind: 'task-finished' }> => e.kind === 'task-finished');
  return { finished, lines };
}

describe('failure kinds', () => {
  it('a task that throws is a task-error with the error\'s kind and stack; a process exit code is exit-non-zero', async () => {
    class QuotaError extends Error { override name = 'QuotaError'; }
    const { finished } = await run([
      { kind: 'artifact', name: 't:throws', version: 1, async run() { throw new QuotaError('over quota'); } },
      { kind: 'artifact', name: 't:exits', version: 1, async run() { throw Object.assign(new Error('Command failed with exit code 3'), { exitCode: 3 }); } },
      { kind: 'artifact', name: 't:enoent', version: 1, async run() { throw Object.assign(new Error('no such file'), { code: 'ENOENT' }); } },
    ]);
    const by = (name: string) => finished.find((e) => e.taskId.startsWith(name));
    expect(by('t:throws')).toMatchObject({ outcome: 'task-error', errorKind: 'QuotaError', error: 'over quota' });
    expect(by('t:throws')?.stack).toMatch(/QuotaError: over quota\n\s+at /);
    expect(by('t:exits')).toMatchObject({ outcome: 'exit-non-zero' });
    expect(by('t:enoent')).toMatchObject({ outcome: 'task-error', errorKind: 'ENOENT' });
  });

  it('a resource whose up throws fails its dependent as resource-failed, with the resource\'s stack', async () => {
    const { finished } = await run([
      { kind: 'resource', name: 'c:cluster', version: 1, async up() { throw new TypeError('bad handle'); }, async down() {} },
      { kind: 'artifact', name: 'w:run', version: 1, needs: ['c:cluster'], async run() {} },
    ]);
    expect(finished[0]).toMatchObject({ outcome: 'resource-failed', errorKind: 'TypeError' });
    expect(finished[0]?.stack).toContain('TypeError: bad handle');
  });

  it('an interrupted run says "interrupted", not FAILED, even when a resource throws on the abort', async () => {
    const ctrl = new AbortController();
    const { finished, lines } = await run([
      { kind: 'resource', name: 'c:cluster', version: 1, async up(ctx) { ctrl.abort(new Error('interrupted')); await sleep(10); ctx.signal.throwIfAborted(); return {}; }, async down() {} },
      { kind: 'artifact', name: 'w:run', version: 1, needs: ['c:cluster'], async run() {} },
    ], ctrl.signal);
    expect(finished[0]?.outcome).toBe('cancelled');
    expect(lines.at(-1)).toMatch(/^interrupted: 0 ran, 0 up to date, 0 failed/);
  });
});
