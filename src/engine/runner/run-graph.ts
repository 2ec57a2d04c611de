/**
 * The runner: walks the plan in dependency order, re-decides each task with its dependencies'
 * actual output digests (early cutoff), runs what is stale through an `Executor` within the job
 * and host budget, commits outputs (temp dir → content address → row), and manages resources.
 * The only writer of the cache database is this coordinating process.
 */
import { availableParallelism } from 'node:os';
import type { BlobStore } from '../cache/blob-store.js';
import type { CacheEntry, SqliteStore } from '../cache/sqlite-store.js';
import type { Task, TaskGraph, TaskId } from '../graph/task-graph.js';
import type { Fingerprint, Reason } from '../hash/fingerprint.js';
import type { EventSink, TaskOutcome } from '../events/events.js';
import type { Executor } from './executor.js';
import { restoreFromHistory, runWithRetries } from './run-attempt.js';
import { decideTask, fingerprintOf, type Plan } from './plan.js';
import { ResourcePool } from './resource-pool.js';

export interface RunOptions {
  graph: TaskGraph;
  plan: Plan;
  store: SqliteStore;
  blobs: BlobStore;
  entries: Map<string, CacheEntry>;
  executor: Executor;
  /**
   * The executor of a task that runs elsewhere (another machine), or undefined for `executor`.
   * Such tasks take none of `jobs` or the host budget; their executor's `capacity` bounds them.
   */
  executorFor?(task: Task): Executor | undefined;
  projectRoot: string;
  inputsOf(task: Task): Record<string, string>;
  /** The task's code record for its fingerprint (see `PlanInputs.codeOf`). */
  codeOf?(task: Task): Record<string, string>;
  emit: EventSink;
  signal: AbortSignal;
  /** Parallel task slots; default = cores. */
  jobs?: number;
  keepGoing?: boolean;
  forced?: Set<string>;
  /** Host budget; cpus default to this machine's cores, memory and pools are unlimited unless given. */
  budget?: HostBudget;
  /** Poll interval while another bench process holds a task. */
  claimPollMs?: number;
}

/** What the host may spend at once (from the config's `budget`). */
export interface HostBudget {
  cpus?: number;
  memoryMiB?: number;
  pools?: Record<string, number>;
}

export interface RunSummary {
  ok: boolean;
  cancelled: boolean;
  ran: number;
  skipped: number;
  /** Tasks that took back an earlier commit from the history instead of running (not in `skipped`). */
  restored: number;
  failed: number;
  outcomes: Map<TaskId, TaskOutcome>;
  /** Committed output digest of each finished artifact instance. */
  outputs: Map<TaskId, string>;
}

/** Runs the plan to completion (or first failure without keepGoing, or abort). */
export async function runGraph(o: RunOptions): Promise<RunSummary> {
  // Restores commit rows (the latest entry becomes the earlier one), so only all-skip is a no-op.
  if (o.plan.tasks.every((p) => p.action === 'skip' || p.action === 'resource')) return upToDate(o);
  const start = Date.now();
  const jobs = Math.max(1, o.jobs ?? availableParallelism());
  const cpuBudget = o.budget?.cpus ?? availableParallelism();
  const forced = o.forced ?? new Set<string>();
  const outputs = new Map<TaskId, string>();
  const outcomes = new Map<TaskId, TaskOutcome>();
  const dirOf = (id: TaskId): string => o.blobs.dirOf(outputs.get(id) ?? '');
  const pool = new ResourcePool({ graph: o.graph, plan: o.plan, store: o.store, emit: o.emit, projectRoot: o.projectRoot, cacheDir: o.blobs.cacheDir, signal: o.signal, dirOf });
  const isResource = (id: TaskId): boolean => o.plan.byId.get(id)?.action === 'resource';
  const artifacts = o.plan.tasks.filter((p) => p.action !== 'resource').map((p) => p.id);
  const waitingOn = new Map<TaskId, number>();
  const dependents = new Map<TaskId, TaskId[]>();
  const ready: TaskId[] = [];
  // An artifact waits for its artifact deps and for those of the resources it uses (a cluster
  // cannot come up before its image is built), found through chains of resources.
  const artifactDeps = (id: TaskId, out = new Set<TaskId>()): Set<TaskId> => {
    for (const d of (o.graph.tasks.get(id) as Task).deps) {
      if (!isResource(d)) out.add(d);
      else artifactDeps(d, out);
    }
    return out;
  };
  for (const id of artifacts) {
    const deps = [...artifactDeps(id)];
    waitingOn.set(id, deps.length);
    for (const d of deps) (dependents.get(d) ?? dependents.set(d, []).get(d) as TaskId[]).push(id);
    if (deps.length === 0) ready.push(id);
  }
  o.emit({ kind: 'run-started', at: start, total: artifacts.length, toRun: artifacts.filter((id) => o.plan.byId.get(id)?.action === 'run').length });
  let restored = 0;
  let running = 0;
  let away = 0;
  const inUse = { cpus: 0, memoryMiB: 0, pools: new Map<string, number>() };
  const memBudget = o.budget?.memoryMiB ?? Infinity;
  const poolBudget = o.budget?.pools ?? {};
  // A task larger than the whole budget still runs, alone, rather than never.
  const fits = (t: Task): boolean => {
    if (running === 0) return true;
    const u = t.def.uses ?? {};
    if (inUse.cpus + Math.min(u.cpus ?? 1, cpuBudget) > cpuBudget) return false;
    if (inUse.memoryMiB + (u.memoryMiB ?? 0) > memBudget) return false;
    return Object.entries(u.pools ?? {}).every(([k, n]) => (inUse.pools.get(k) ?? 0) + n <= (poolBudget[k] ?? Infinity));
  };
  const take = (t: Task, sign: 1 | -1): void => {
    const u = t.def.uses ?? {};
    inUse.cpus += sign * Math.min(u.cpus ?? 1, cpuBudget);
    inUse.memoryMiB += sign * (u.memoryMiB ?? 0);
    for (const [k, n] of Object.entries(u.pools ?? {})) inUse.pools.set(k, (inUse.pools.get(k) ?? 0) + sign * n);
  };
  // Locks held by running artifacts (see ResourceTaskDef.exclusive).
  const busy = new Set<string>();
  const lockOf = (id: TaskId): string | undefined => lockOfResource(o.graph.tasks.get(id) as Task);
  const resourcesOf = (id: TaskId, out = new Set<TaskId>()): Set<TaskId> => {
    for (const d of (o.graph.tasks.get(id) as Task).deps) {
      if (!isResource(d) || out.has(d)) continue;
      out.add(d);
      resourcesOf(d, out);
    }
    return out;
  };
  /** The artifact's locks, or undefined when one is taken by a running artifact or by another live instance. */
  const locksFree = (id: TaskId): string[] | undefined => {
    const mine = resourcesOf(id);
    const locks = [...new Set([...mine].map(lockOf).filter((k): k is string => k !== undefined))];
    if (locks.some((k) => busy.has(k))) return undefined;
    for (const other of pool.occupied()) {
      if (!mine.has(other) && locks.includes(lockOf(other) as string)) return undefined;
    }
    return locks;
  };
  let stop = false;
  let wake: () => void = () => {};
  let ran = 0;
  let skipped = 0;
  let failed = 0;

  const finish = (id: TaskId, outcome: TaskOutcome): void => {
    outcomes.set(id, outcome);
    const task = o.graph.tasks.get(id) as Task;
    void pool.release(task).finally(() => wake());
    for (const dep of dependents.get(id) ?? []) {
      if (outcome === 'ok' || outcome === 'cached') {
        const n = (waitingOn.get(dep) as number) - 1;
        waitingOn.set(dep, n);
        if (n === 0) ready.push(dep);
      } else if (!outcomes.has(dep)) {
        failed++;
        o.emit({ kind: 'task-finished', at: Date.now(), taskId: dep, outcome: 'dependency-failed', reason: { kind: 'dependency-changed', dep: id }, ms: 0 });
        finish(dep, 'dependency-failed');
      }
    }
  };

  const attempt = async (task: Task, fp: Fingerprint, reason: Reason): Promise<void> => {
    const outcome = await runWithRetries(o, task, fp, reason, pool, dirOf, outputs);
    if (outcome === 'ok') ran++;
    else if (outcome !== 'cancelled') {
      failed++;
      if (!o.keepGoing) stop = true;
    }
    o.store.release(task.id, process.pid);
    finish(task.id, outcome);
  };

  const tryStart = (id: TaskId, blocked: TaskId[], deferred: TaskId[]): 'started' | 'done' | 'full' => {
    const task = o.graph.tasks.get(id) as Task;
    const planned = o.plan.byId.get(id);
    if (planned?.action === 'skip') {
      outputs.set(id, o.entries.get(id)?.outputDigest as string);
      skipped++;
      o.emit({ kind: 'task-skipped', at: Date.now(), taskId: id, reason: planned.reason });
      finish(id, 'cached');
      return 'done';
    }
    const fp = fingerprintOf(task, o.inputsOf(task), (d) => (isResource(d) ? '' : outputs.get(d)), o.codeOf?.(task)) as Fingerprint;
    const elsewhere = o.executorFor?.(task);
    if (elsewhere ? away >= (elsewhere.capacity ?? Infinity) : running >= jobs || !fits(task)) return 'full';
    const exclusive = locksFree(id);
    if (!exclusive) {
      // Waits for the lock without holding back the tasks queued behind it.
      deferred.push(id);
      return 'done';
    }
    // The same locks across processes: another bench on this cache may hold the cluster.
    if (exclusive.length && o.store.locks.tryLock(exclusive)) {
      blocked.push(id);
      return 'done';
    }
    const holder = o.store.claim(id, process.pid);
    if (holder !== undefined) {
      blocked.push(id);
      return 'done';
    }
    // Re-read: another process may have committed it while we waited for the claim.
    const decision = restoreFromHistory(o, id, fp, decideTask(task, fp, o.store.getEntry(id), { outputExists: (d) => o.blobs.has(d), forced }));
    if (decision.action === 'skip') {
      o.store.release(id, process.pid);
      outputs.set(id, o.store.getEntry(id)?.outputDigest as string);
      if (decision.reason.kind === 'restored') restored++;
      else skipped++;
      o.emit({ kind: 'task-skipped', at: Date.now(), taskId: id, reason: decision.reason });
      finish(id, 'cached');
      return 'done';
    }
    if (elsewhere) away++;
    else {
      running++;
      take(task, 1);
    }
    for (const r of exclusive) busy.add(r);
    void attempt(task, fp, decision.reason).finally(() => {
      if (elsewhere) away--;
      else {
        running--;
        take(task, -1);
      }
      for (const r of exclusive) busy.delete(r);
      wake();
    });
    return 'started';
  };

  for (;;) {
    const blocked: TaskId[] = [];
    const deferred: TaskId[] = [];
    while (ready.length && !stop && !o.signal.aborted) {
      const id = ready[0] as TaskId;
      const r = tryStart(id, blocked, deferred);
      if (r === 'full') break;
      ready.shift();
    }
    ready.unshift(...deferred, ...blocked);
    o.store.locks.releaseLocksExcept(new Set([...busy, ...pool.occupied().map(lockOf).filter((k): k is string => k !== undefined)]));
    if (running === 0 && away === 0 && (ready.length === 0 || stop || o.signal.aborted)) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (blocked.length) setTimeout(resolve, o.claimPollMs ?? 100);
    });
  }
  await pool.downAll();
  o.store.locks.releaseLocksExcept(new Set());
  const cancelled = o.signal.aborted;
  o.emit({ kind: 'run-finished', at: Date.now(), ok: failed === 0 && !cancelled && !stop, ran, skipped, failed, ms: Date.now() - start, ...(restored ? { restored } : {}), ...(cancelled ? { cancelled } : {}) });
  return { ok: failed === 0 && !cancelled, cancelled, ran, skipped, restored, failed, outcomes, outputs };
}

/** The lock a resource instance holds, from its def's `exclusive` and its config slice. */
function lockOfResource(r: Task): string | undefined {
  const ex = r.def.kind === 'resource' ? r.def.exclusive : undefined;
  const v = typeof ex === 'function' ? ex(r.config) : ex;
  if (v === true) return `instance:${r.id}`;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Nothing to run: no resource comes up, no claim is taken, and the log gets the run's two
 * bracketing events rather than one `task-skipped` per task — the no-op path is the one users
 * run most, and on 10^5-task sweeps the per-task bookkeeping was a third of its time.
 */
function upToDate(o: RunOptions): RunSummary {
  const start = Date.now();
  const outputs = new Map<TaskId, string>();
  const outcomes = new Map<TaskId, TaskOutcome>();
  let skipped = 0;
  for (const p of o.plan.tasks) {
    if (p.action !== 'skip') continue;
    outputs.set(p.id, o.entries.get(p.id)?.outputDigest as string);
    outcomes.set(p.id, 'cached');
    skipped++;
  }
  o.emit({ kind: 'run-started', at: start, total: skipped, toRun: 0 });
  o.emit({ kind: 'run-finished', at: Date.now(), ok: true, ran: 0, skipped, failed: 0, ms: Date.now() - start });
  return { ok: true, cancelled: false, ran: 0, skipped, restored: 0, failed: 0, outcomes, outputs };
}
