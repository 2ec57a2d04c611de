/**
 * The plan: for each task the targets need, its action and the reason. Pure over the graph, the
 * cache entries and the input digests; a dry run is this plan printed. The runner re-decides a
 * task with its dependencies' actual output digests when it gets to it (early cutoff), using the
 * same `decideTask`.
 */
import type { CacheEntry } from '../cache/sqlite-store.js';
import { sha256Hex } from '../hash/canonical-json.js';
import { explainMiss, fingerprintDigest, fingerprintJson, type Fingerprint, type Reason } from '../hash/fingerprint.js';
import type { Task, TaskGraph, TaskId } from '../graph/task-graph.js';
import { closureOf } from '../graph/select-targets.js';

/**
 * `run`: execute; `skip`: cached and up to date; `restore`: stale against the latest commit, but
 * this very fingerprint was committed before and its output is still stored, so that output is
 * taken back instead of running (a sweep switched back, an edit reverted); `resource`: brought up
 * lazily if a dependent runs.
 */
export type PlanAction = 'run' | 'skip' | 'restore' | 'resource';

export interface PlannedTask {
  id: TaskId;
  action: PlanAction;
  /** Why it runs; for `restore`, why the latest commit does not fit (the earlier one does). */
  reason: Reason;
  /** For `restore`: the earlier commit taken back. */
  restored?: CacheEntry;
  /** Known when every dependency is up to date; otherwise computed when the task is reached. */
  fingerprint: Fingerprint | undefined;
}

export interface Plan {
  targets: TaskId[];
  /** Needed tasks in topological order. */
  tasks: PlannedTask[];
  byId: Map<TaskId, PlannedTask>;
}

/** What the planner needs from the outside world. */
export interface PlanInputs {
  entries: Map<string, CacheEntry>;
  /** Input file digests of a task (project-relative path → sha256). */
  inputsOf(task: Task): Record<string, string>;
  /** The task's code record (module → digest); none given means no code is recorded. */
  codeOf?(task: Task): Record<string, string>;
  /** Whether a committed output with this digest is present in the store. */
  outputExists(outputDigest: string): boolean;
  /** An earlier commit of the task with this fingerprint digest (the cache's history); none given means no history. */
  historyOf?(taskId: TaskId, digest: string): CacheEntry | undefined;
  forced: Set<string>;
}

const NO_CODE: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Builds the fingerprint record; `depDigest` returns undefined when a dependency's output is not known yet. */
export function fingerprintOf(
  task: Task, inputs: Record<string, string>, depDigest: (id: TaskId) => string | undefined, code: Record<string, string> = NO_CODE,
): Fingerprint | undefined {
  // Null-prototype objects are dictionaries in V8: keyed by task ids, plain literals would make
  // one hidden class per distinct id (10^5 of them on a large sweep).
  const deps: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const d of task.deps) {
    const digest = depDigest(d);
    if (digest === undefined) return undefined;
    if (digest !== '') deps[d] = digest;
  }
  return { task: task.name, version: String(task.def.version), config: task.config, inputs, deps, rep: task.rep ?? null, code };
}

/** Decides run or skip for an artifact task whose fingerprint is known. */
export function decideTask(task: Task, fp: Fingerprint, entry: CacheEntry | undefined, inp: Pick<PlanInputs, 'outputExists' | 'forced'>): { action: 'run' | 'skip'; reason: Reason } {
  if (inp.forced.size > 0 && (inp.forced.has(task.id) || inp.forced.has(task.name))) return { action: 'run', reason: { kind: 'forced' } };
  if (!entry) return { action: 'run', reason: { kind: 'new' } };
  if (entry.status === 'failed') return { action: 'run', reason: { kind: 'previous-failed' } };
  // The stored record is the text the digest was made from: equal text is an equal digest, and
  // comparing text skips a sha256 per task on the no-op path.
  const text = fingerprintJson(fp);
  if (entry.fingerprintJson === text || entry.digest === sha256Hex(text)) {
    if (entry.outputDigest && inp.outputExists(entry.outputDigest)) return { action: 'skip', reason: { kind: 'up-to-date' } };
    return { action: 'run', reason: { kind: 'output-missing' } };
  }
  const why = explainMiss(JSON.parse(entry.fingerprintJson) as Fingerprint, fp);
  return { action: 'run', reason: why ?? { kind: 'new' } };
}

/**
 * The earlier commit a stale task takes back, if any: not when forced (the user asked for a run)
 * nor when it was never committed (`new`: no history to look in, and a first run of 10^5 tasks
 * must not pay a query each).
 */
export function restorable(id: TaskId, fp: Fingerprint, reason: Reason, inp: Pick<PlanInputs, 'outputExists' | 'historyOf'>): CacheEntry | undefined {
  if (reason.kind === 'forced' || reason.kind === 'new' || !inp.historyOf) return undefined;
  const old = inp.historyOf(id, fingerprintDigest(fp));
  return old?.outputDigest && inp.outputExists(old.outputDigest) ? old : undefined;
}

/**
 * The output digest a dependent of a planned task will see: '' for resources (live, not
 * content), undefined if it will run, the earlier commit's output for a restore.
 */
export function plannedOutput(byId: Map<TaskId, PlannedTask>, entries: Map<string, CacheEntry>, id: TaskId): string | undefined {
  const p = byId.get(id);
  if (!p) return undefined;
  if (p.action === 'resource') return '';
  if (p.action === 'run') return undefined;
  if (p.action === 'restore') return p.restored?.outputDigest ?? undefined;
  return entries.get(id)?.outputDigest ?? undefined;
}

/** Plans every task the targets need. */
export function planRun(graph: TaskGraph, targets: TaskId[], inp: PlanInputs): Plan {
  const tasks: PlannedTask[] = [];
  const byId = new Map<TaskId, PlannedTask>();
  const depDigest = (id: TaskId): string | undefined => plannedOutput(byId, inp.entries, id);
  for (const id of closureOf(graph, targets)) {
    const task = graph.tasks.get(id) as Task;
    let planned: PlannedTask;
    if (task.def.kind === 'resource') planned = { id, action: 'resource', reason: { kind: 'new' }, fingerprint: undefined };
    else {
      const fp = fingerprintOf(task, inp.inputsOf(task), depDigest, inp.codeOf?.(task));
      if (fp) {
        const { action, reason } = decideTask(task, fp, inp.entries.get(id), inp);
        const restored = action === 'run' ? restorable(id, fp, reason, inp) : undefined;
        planned = restored ? { id, action: 'restore', reason, restored, fingerprint: fp } : { id, action, reason, fingerprint: fp };
      } else {
        const changed = task.deps.find((d) => byId.get(d)?.action === 'run') as string;
        const forced = inp.forced.has(id) || inp.forced.has(task.name);
        planned = { id, action: 'run', reason: forced ? { kind: 'forced' } : !inp.entries.has(id) ? { kind: 'new' } : { kind: 'dependency-changed', dep: changed }, fingerprint: undefined };
      }
    }
    tasks.push(planned);
    byId.set(id, planned);
  }
  // A resource is only needed when one of its dependents runs.
  return { targets, tasks, byId };
}

/** Resources that some running task needs (directly or through another needed resource). */
export function resourcesNeeded(graph: TaskGraph, plan: Plan): Set<TaskId> {
  const needed = new Set<TaskId>();
  const walk = (id: TaskId): void => {
    for (const d of graph.tasks.get(id)?.deps ?? []) {
      if (plan.byId.get(d)?.action === 'resource' && !needed.has(d)) {
        needed.add(d);
        walk(d);
      }
    }
  };
  for (const p of plan.tasks) if (p.action === 'run') walk(p.id);
  return needed;
}
