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
import { runGraph, type HostBudget } from '../../../../src/engine/runner/run-graph.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  store = new SqliteStore(join(dir, 'bench.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(tasks: TaskDef[], opts: { budget?: HostBudget; jobs?: number } = {}) {
  const point = { id: 'p-r0', rep: 0, config: {}, overrides: [], configHash: 'x', choices: {}, swept: {} };
  const { graph } = buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points: [point] } });
  const blobs = new BlobStore(dir);
  const entries = store.loadEntries();
  const inp = { entries, inputsOf: () => ({}), outputExists: (d: string) => blobs.has(d), forced: new Set<string>() };
  const plan = planRun(graph!, graph!.order, inp);
  const events: RunEvent[] = [];
  const summary = await runGraph({
    graph: graph!, plan, store, blobs, entries, executor: new InProcessExecutor(), projectRoot: dir, inputsOf: () => ({}),
    emit: (e) => events.push(e), signal: new AbortController().signal, keepGoing: true, jobs: opts.jobs ?? 8, ...(opts.budget ? { budget: opts.budget } : {}),
  });
  return { summary, events };
}

describe('runGraph', () => {
  it('never exceeds a named pool of the host budget', async () => {
    let live = 0;
    let peak = 0;
    const vm = (i: number): TaskDef => ({
      kind: 'artifact', name: `vm:t${i}`, version: 1, uses: { cpus: 0.1, pools: { vm: 1 } },
      async run(ctx) { live++; peak = Math.max(peak, live); await sleep(30); live--; writeFileSync(join(ctx.outDir, 'o'), String(i)); },
    });
    const { summary } = await run([0, 1, 2, 3, 4, 5].map(vm), { budget: { cpus: 8, pools: { vm: 2 } } });
    expect(summary.ran).toBe(6);
    expect(peak).toBe(2);
  });

  it('retries a failing task with backoff and commits the attempt that succeeds', async () => {
    let attempts = 0;
    const { summary, events } = await run([{ kind: 'artifact', name: 'f:lake', version: 1, retries: 2, async run() { if (++attempts < 3) throw new Error('flake'); } }]);
    expect(summary.ok).toBe(true);
    expect(events.filter((e) => e.kind === 'task-started')).toHaveLength(3);
    expect(store.getEntry('f:lake[p-r0]')?.status).toBe('done');
  });

  it('times out a task that ignores its signal and marks dependents dependency-failed', async () => {
    const { summary } = await run([
      { kind: 'artifact', name: 's:low', version: 1, timeoutMs: 50, async run() { await sleep(2000); } },
      { kind: 'artifact', name: 's:after', version: 1, needs: ['s:low'], async run() {} },
    ]);
    expect(summary.outcomes.get('s:low[p-r0]')).toBe('timed-out');
    expect(summary.outcomes.get('s:after[p-r0]')).toBe('dependency-failed');
    expect(store.getEntry('s:low[p-r0]')?.status).toBe('failed');
  });
});
