import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../../src/engine/cache/blob-store.js';
import { SqliteStore } from '../../../../src/engine/cache/sqlite-store.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import { buildTaskGraph } from '../../../../src/engine/graph/task-graph.js';
import type { RunEvent } from '../../../../src/engine/events/events.js';
import { InProcessExecutor } from '../../../../src/engine/runner/executor.js';
import { planRun } from '../../../../src/engine/runner/plan.js';
import { runGraph } from '../../../../src/engine/runner/run-graph.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-pool-'));
  store = new SqliteStore(join(dir, 'bench.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(tasks: TaskDef[]): Promise<RunEvent[]> {
  const point = { id: 'p-r0', rep: 0, config: {}, overrides: [], configHash: 'x', choices: {}, swept: {} };
  const { graph } = buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points: [point] } });
  const blobs = new BlobStore(dir);
  const entries = store.loadEntries();
  const plan = planRun(graph!, graph!.order, { entries, inputsOf: () => ({}), outputExists: (d: string) => blobs.has(d), forced: new Set<string>() });
  const events: RunEvent[] = [];
  await runGraph({
    graph: graph!, plan, store, blobs, entries, executor: new InProcessExecutor(), projectRoot: dir, inputsOf: () => ({}),
    emit: (e) => events.push(e), signal: new AbortController().signal, keepGoing: true, jobs: 4,
  });
  return events;
}

describe('resource teardown at the end of a run', () => {
  it('stops a resource before what it runs on, and the run ends only once both are down', async () => {
    // A scheduler on a cluster: stopping the scheduler needs the cluster's hosts, so the
    // cluster must not go down while the scheduler's (slow) stop is still talking to them.
    const trace: string[] = [];
    const events = await run([
      { kind: 'resource', name: 'c:cluster', version: 1,
        async up() { return 'cluster'; },
        async down() { trace.push('cluster down'); } },
      { kind: 'resource', name: 's:sched', version: 1, needs: ['c:cluster'],
        async up() { return 'sched'; },
        async down() { trace.push('sched stopping'); await sleep(200); trace.push('sched stopped'); } },
      { kind: 'artifact', name: 'w:run', version: 1, needs: ['s:sched'],
        async run(ctx) { writeFileSync(join(ctx.outDir, 'jobs'), '1'); } },
    ]);
    expect(trace).toEqual(['sched stopping', 'sched stopped', 'cluster down']);
    const order = events.filter((e) => e.kind === 'resource-down' || e.kind === 'run-finished').map((e) => ('taskId' in e ? e.taskId : e.kind));
    expect(order).toEqual(['s:sched[p-r0]', 'c:cluster[p-r0]', 'run-finished']);
    // Nothing is left for a later run to tear down again.
    expect(store.ledger()).toEqual([]);
  });
});
