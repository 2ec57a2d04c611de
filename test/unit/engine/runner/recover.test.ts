import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deadPid } from '../../../support/procs.js';
import { SqliteStore } from '../../../../src/engine/cache/sqlite-store.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import { buildTaskGraph } from '../../../../src/engine/graph/task-graph.js';
import { recoverStale } from '../../../../src/engine/runner/recover.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-recover-'));
  store = new SqliteStore(join(dir, 'bench.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recoverStale', () => {
  it('tears down a dead run\'s resources the last to come up first, so a scheduler stops while its cluster is still there', async () => {
    const trace: string[] = [];
    const tasks: TaskDef[] = [
      { kind: 'resource', name: 'c:cluster', version: 1, async up() { return 'c'; }, async down(h) { trace.push(`down ${String(h)}`); } },
      { kind: 'resource', name: 's:sched', version: 1, needs: ['c:cluster'], async up() { return 's'; }, async down(h) { trace.push(`down ${String(h)}`); } },
    ];
    const point = { id: 'p-r0', rep: 0, config: {}, overrides: [], configHash: 'x', choices: {}, swept: {} };
    const { graph } = buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points: [point] } });
    const pid = deadPid();
    // In the order a run writes them: the cluster first, the scheduler on it a moment later.
    store.ledgerPut({ taskId: 'c:cluster[p-r0]', name: 'c:cluster', handle: 'c', pid, startedAt: 1000 });
    store.ledgerPut({ taskId: 's:sched[p-r0]', name: 's:sched', handle: 's', pid, startedAt: 1500 });
    const downed = await recoverStale({ store, graph: graph!, emit: () => undefined, projectRoot: dir, cacheDir: dir });
    expect(trace).toEqual(['down s', 'down c']);
    expect(downed).toEqual(['s:sched[p-r0]', 'c:cluster[p-r0]']);
    expect(store.ledger()).toEqual([]);
  });
});
