/**
 * Resource lifecycle: a resource comes up when the first dependent that must run asks for it, is
 * shared by all dependents, goes down when its last pending dependent in the plan has finished
 * (ran, skipped or failed), and is written to the ledger while live so that a later process can
 * tear it down after a crash.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteStore } from '../cache/sqlite-store.js';
import { canonicalJson, sha256Hex } from '../hash/canonical-json.js';
import type { ResourceTaskDef } from '../graph/task-def.js';
import type { Task, TaskGraph, TaskId } from '../graph/task-graph.js';
import type { EventSink } from '../events/events.js';
import type { Plan } from './plan.js';
import { makeContext } from './task-context.js';

export class ResourcePool {
  private readonly refs = new Map<TaskId, number>();
  private readonly ups = new Map<TaskId, Promise<unknown>>();
  private readonly handles = new Map<TaskId, unknown>();
  private readonly stopping = new Set<TaskId>();
  /** Releases in flight: the runner starts them without waiting, `downAll` waits for them. */
  private readonly releasing = new Set<Promise<void>>();
  /** Kept sessions this run uses: never torn down here, only by `bench down`. */
  private readonly reused = new Set<TaskId>();

  /** `keep`: what this pool brings up is recorded as kept sessions (`bench up`) and outlives the process. */
  constructor(
    private readonly o: { graph: TaskGraph; plan: Plan; store: SqliteStore; emit: EventSink; projectRoot: string; cacheDir: string; signal: AbortSignal; dirOf: (id: TaskId) => string; keep?: boolean },
  ) {
    for (const p of o.plan.tasks) {
      for (const d of o.graph.tasks.get(p.id)?.deps ?? []) {
        if (o.plan.byId.get(d)?.action === 'resource') this.refs.set(d, (this.refs.get(d) ?? 0) + 1);
      }
    }
  }

  /** Resources up, coming up or still going down: what an exclusive lock must wait for. */
  occupied(): TaskId[] {
    return [...this.ups.keys(), ...this.stopping];
  }

  handleOf(id: TaskId): unknown {
    return this.handles.get(id);
  }

  /** Brings up every resource the task depends on (and theirs), sharing in-flight `up` calls. */
  async ensureFor(task: Task): Promise<void> {
    const mine = task.deps.filter((d) => this.o.plan.byId.get(d)?.action === 'resource');
    await Promise.all(mine.map((d) => this.up(d)));
  }

  /** Brings one resource up (and what it runs on), or reuses its kept session; returns its handle. */
  up(id: TaskId): Promise<unknown> {
    let p = this.ups.get(id);
    if (!p) {
      p = (async () => {
        const task = this.o.graph.tasks.get(id) as Task;
        const instance = instanceDigest(task);
        const kept = this.o.store.keptRow(id, instance);
        if (kept) {
          // What it runs on is kept too (it came up with it), so nothing below is brought up.
          this.handles.set(id, kept.handle);
          this.reused.add(id);
          this.ctx(task, this.o.signal).log.info(`using the kept session of ${id} (bench up, PID ${kept.pid}); bench down tears it down`);
          return kept.handle;
        }
        await this.ensureFor(task);
        const def = task.def as ResourceTaskDef;
        const ctx = this.ctx(task, this.o.signal);
        const handle = await def.up(ctx);
        this.handles.set(id, handle);
        const row = { taskId: id, name: task.name, handle, pid: process.pid, startedAt: Date.now(), instance };
        this.o.store.ledgerPut(row);
        if (this.o.keep) {
          await def.keep?.(handle, ctx);
          this.o.store.ledgerPut({ ...row, kept: true });
        }
        this.o.emit({ kind: 'resource-up', at: Date.now(), taskId: id });
        return handle;
      })();
      this.ups.set(id, p);
    }
    return p;
  }

  private ctx(task: Task, signal: AbortSignal) {
    const outDir = join(this.o.cacheDir, 'resources', task.id.replace(/[^\w.@-]+/g, '_'));
    mkdirSync(outDir, { recursive: true });
    return makeContext({ graph: this.o.graph, task, signal, outDir, projectRoot: this.o.projectRoot, emit: this.o.emit, dirOf: this.o.dirOf, handleOf: (d) => this.handles.get(d) });
  }

  /**
   * Called when a needed task is finished for good; tears down resources nobody else waits for
   * (and, once each is down, what it ran on). Tracked until settled, for `downAll`.
   */
  release(task: Task): Promise<void> {
    const p = this.releaseDeps(task);
    this.releasing.add(p);
    const forget = (): void => { this.releasing.delete(p); };
    p.then(forget, forget);
    return p;
  }

  private async releaseDeps(task: Task): Promise<void> {
    for (const d of task.deps) {
      const n = this.refs.get(d);
      if (n === undefined) continue;
      this.refs.set(d, n - 1);
      if (n - 1 === 0) await this.down(d);
    }
  }

  private async down(id: TaskId): Promise<void> {
    const task = this.o.graph.tasks.get(id) as Task;
    const p = this.ups.get(id);
    if (p && this.reused.has(id)) this.ups.delete(id);
    else if (p) {
      this.ups.delete(id);
      this.stopping.add(id);
      let error: string | undefined;
      try {
        const handle = await p;
        await (task.def as ResourceTaskDef).down(handle, this.ctx(task, new AbortController().signal));
        this.o.store.ledgerDelete(id);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        if (this.handles.has(id)) this.o.store.ledgerDelete(id);
      }
      this.handles.delete(id);
      this.stopping.delete(id);
      this.o.emit({ kind: 'resource-down', at: Date.now(), taskId: id, ...(error ? { error } : {}) });
    }
    await this.release(task);
  }

  /**
   * Tears down everything still up (end of run, SIGINT). Teardowns already under way finish
   * first: a resource being stopped (a scheduler) still needs the one it runs on (the cluster),
   * which would otherwise be taken down here at the same time, and the run would end before
   * the stop did, its ledger row left for the next run.
   */
  async downAll(): Promise<void> {
    while (this.releasing.size) await Promise.allSettled([...this.releasing]);
    for (const id of [...this.ups.keys()].reverse()) await this.down(id);
  }
}

/** Digest of what a resource instance brings up: its definition's name and version and its config slice. */
export function instanceDigest(task: Task): string {
  return sha256Hex(canonicalJson({ name: task.name, version: task.def.version, config: task.config }));
}
