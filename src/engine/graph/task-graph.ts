/**
 * The task graph: every `TaskDef` instantiated per sweep point, instances with equal fingerprint
 * inputs merged into one `Task`. Pure: no files, no cache, no clocks. Does not decide what runs
 * (that is `planRun` in src/runner/plan.ts).
 */
import type { ComposedSweep, SweepPoint } from '../config/sweep-point.js';
import type { Diagnostic } from '../diagnostic.js';
import { canonicalJson, getKeyPath, sha256Hex } from '../hash/canonical-json.js';
import type { Benchfile, TaskDef } from './task-def.js';

/**
 * `name[label]`: the label names the config the instance depends on — the parts of its points' ids
 * (`SweepPoint.idParts`) whose keys the task reads or its dependencies depend on, plus `-r<rep>`
 * for repeated tasks: `cluster:provision[small]`, `scheduler:configure[small-slurm]`,
 * `workload:run[small-slurm-mixed-r1]`; when two instances would share it, the first 6 hex digits
 * of the digest of the instance key follow (`small~3fa2c1`). When it names nothing: `all` if it is
 * the task's only instance (and, for points without named ids, serves more than one), else the
 * point id if it serves one point, else the digest. A sweep-wide task is `all` (for one unnamed
 * point, its id).
 */
export type TaskId = string;

/** One instance of a TaskDef in the graph. */
export interface Task {
  id: TaskId;
  name: string;
  label: string;
  def: TaskDef;
  points: SweepPoint[];
  rep: number | undefined;
  /** Declared config slice: `reads` key path → value. */
  config: Record<string, unknown>;
  deps: TaskId[];
}

/** Instances in topological order (dependencies first). */
export interface TaskGraph {
  tasks: Map<TaskId, Task>;
  order: TaskId[];
  defs: Map<string, TaskDef>;
  /** Per def name, the instance serving each point id. */
  byPoint: Map<string, Map<string, TaskId>>;
}

/** Where each task was declared, for located diagnostics. */
export interface BenchfileSource {
  file: string;
  text: string;
}

/** Builds the graph; cycles, unknown needs and duplicate names come back as diagnostics. */
export function buildTaskGraph(opts: {
  benchfile: Benchfile;
  sweep: ComposedSweep;
  source?: BenchfileSource;
}): { graph: TaskGraph | undefined; diagnostics: Diagnostic[] } {
  const { benchfile, sweep, source } = opts;
  const diagnostics: Diagnostic[] = [];
  const defs = new Map<string, TaskDef>();
  const at = (name: string): Pick<Diagnostic, 'file' | 'line'> => locate(name, source);
  for (const def of benchfile.tasks) {
    if (defs.has(def.name)) diagnostics.push({ severity: 'error', message: `duplicate task name "${def.name}"`, ...at(def.name) });
    defs.set(def.name, def);
  }
  for (const def of benchfile.tasks) {
    for (const need of def.needs ?? []) {
      if (!defs.has(need)) {
        diagnostics.push({ severity: 'error', message: `task "${def.name}" needs unknown task "${need}"`, ...at(def.name), hint: hintFor(need, defs) });
      }
    }
  }
  if (diagnostics.length) return { graph: undefined, diagnostics };
  const defOrder = sortDefs(defs, source, diagnostics);
  if (!defOrder) return { graph: undefined, diagnostics };
  const graph: TaskGraph = { tasks: new Map(), order: [], defs, byPoint: new Map() };
  const named = new Map<TaskId, ReadonlySet<string>>();
  for (const def of defOrder) instantiate(def, sweep.points, graph, named);
  return { graph, diagnostics };
}

function hintFor(need: string, defs: Map<string, TaskDef>): string {
  const close = [...defs.keys()].find((n) => n.split(':')[0] === need.split(':')[0]);
  return close ? `did you mean "${close}"?` : `known tasks: ${[...defs.keys()].join(', ')}`;
}

/** Line of `name: '<task>'` in the benchfile (or the tasks it imports, when given). */
export function locate(name: string, source: BenchfileSource | undefined): Pick<Diagnostic, 'file' | 'line'> {
  if (!source) return {};
  const idx = source.text.search(new RegExp(`name:\\s*['"\`]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`));
  if (idx < 0) return { file: source.file };
  return { file: source.file, line: source.text.slice(0, idx).split('\n').length };
}

/** Depth-first topological sort of defs; reports the first cycle with its chain. */
function sortDefs(defs: Map<string, TaskDef>, source: BenchfileSource | undefined, diagnostics: Diagnostic[]): TaskDef[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: TaskDef[] = [];
  const stack: string[] = [];
  const visit = (name: string): boolean => {
    const s = state.get(name);
    if (s === 'done') return true;
    if (s === 'visiting') {
      const chain = [...stack.slice(stack.indexOf(name)), name];
      const where = chain.slice(0, -1).map((n) => {
        const loc = locate(n, source);
        return `${n} (${loc.file ?? 'benchfile'}${loc.line ? `:${loc.line}` : ''})`;
      });
      diagnostics.push({ severity: 'error', message: `dependency cycle: ${chain.join(' → ')}; declared at ${where.join(', ')}`, ...locate(name, source) });
      return false;
    }
    state.set(name, 'visiting');
    stack.push(name);
    const def = defs.get(name) as TaskDef;
    for (const need of def.needs ?? []) if (!visit(need)) return false;
    stack.pop();
    state.set(name, 'done');
    out.push(def);
    return true;
  };
  for (const name of defs.keys()) if (!visit(name)) return undefined;
  return out;
}

function sliceOf(def: TaskDef, point: SweepPoint): Record<string, unknown> {
  const slice: Record<string, unknown> = {};
  for (const path of def.reads ?? []) slice[path] = getKeyPath(point.config, path);
  return slice;
}

interface Group {
  key: string;
  points: SweepPoint[];
  config: Record<string, unknown>;
  deps: TaskId[];
  rep: number | undefined;
}

interface Readable {
  text: string;
  keys: ReadonlySet<string>;
}

const NOTHING_READ: Readable = { text: '', keys: new Set() };

/** Creates the instances of one def, merging points whose instance key is equal. */
function instantiate(def: TaskDef, points: SweepPoint[], graph: TaskGraph, named: Map<TaskId, ReadonlySet<string>>): void {
  const perPoint = new Map<string, TaskId>();
  graph.byPoint.set(def.name, perPoint);
  const sweepScope = def.scope === 'sweep';
  const groups = groupPoints(def, points, graph, sweepScope);
  // A sweep-wide instance serves every point: nothing to name, and its dependencies may number 10^5.
  const readable = groups.map((g) => (sweepScope ? NOTHING_READ : readableLabel(def, g, named)));
  const uses = groups.length > 1 ? new Map<string, number>() : undefined;
  if (uses) for (const r of readable) if (r.text) uses.set(r.text, (uses.get(r.text) ?? 0) + 1);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as Group;
    const r = readable[i] as Readable;
    // Points with named ids make a lone instance that names none of it `all`, even for one point.
    const hasNames = ((g.points[0] as SweepPoint).idParts?.length ?? 0) > 0;
    const label =
      sweepScope ? (hasNames || g.points.length > 1 ? 'all' : (g.points[0] as SweepPoint).id)
        : r.text ? ((uses?.get(r.text) ?? 1) === 1 ? r.text : `${r.text}~${sha256Hex(g.key).slice(0, 6)}`)
          : hasNames && groups.length === 1 ? 'all'
          : g.points.length === 1 ? (g.points[0] as SweepPoint).id
            : groups.length === 1 ? 'all'
              : `${sha256Hex(g.key).slice(0, 6)}${g.rep !== undefined ? `-r${g.rep}` : ''}`;
    const id = `${def.name}[${label}]`;
    named.set(id, r.keys);
    // A sweep-wide task still reads its declared keys (e.g. report objectives), from the first point:
    // keys it declares must not vary across the sweep.
    const config = sweepScope ? { ...sliceOf(def, g.points[0] as SweepPoint), points: g.points.map((p) => p.id) } : g.config;
    graph.tasks.set(id, { id, name: def.name, label, def, points: g.points, rep: g.rep, config, deps: g.deps });
    graph.order.push(id);
    for (const p of g.points) perPoint.set(p.id, id);
  }
}

/** The def's points grouped by instance key (version, config slice, dependencies, repetition), in first-seen order. */
function groupPoints(def: TaskDef, points: SweepPoint[], graph: TaskGraph, sweepScope: boolean): Group[] {
  // A sweep-wide task's dependencies are the same from every point: computed once, not per point.
  const shared = sweepScope ? depsFor(def, points[0] as SweepPoint, points, graph, true) : undefined;
  const groupOf = (point: SweepPoint): Group => ({
    key: '', points: [point], config: sweepScope ? {} : sliceOf(def, point), deps: shared ?? depsFor(def, point, points, graph, false), rep: def.repeats ? point.rep : undefined,
  });
  // A single-point sweep has one group per def: no key to serialise (a no-op at 10^5 tasks pays for each).
  if (points.length === 1) return [groupOf(points[0] as SweepPoint)];
  const byKey = new Map<string, Group>();
  for (const point of points) {
    const g = groupOf(point);
    g.key = sweepScope ? `rep ${g.rep}` : canonicalJson({ v: String(def.version), config: g.config, deps: g.deps, rep: g.rep });
    const found = byKey.get(g.key);
    if (found) found.points.push(point);
    else byKey.set(g.key, g);
  }
  return [...byKey.values()];
}

/** Whether reading `path` reads the config under `key` (or part of it). */
function reads(path: string, key: string): boolean {
  return path === key || path.startsWith(`${key}.`) || key.startsWith(`${path}.`);
}

/**
 * The id parts an instance depends on: those whose keys it reads and those its dependencies
 * depend on, kept only where every point it serves agrees; `text` is empty when none is left.
 */
function readableLabel(def: TaskDef, g: Group, named: Map<TaskId, ReadonlySet<string>>): Readable {
  const first = g.points[0] as SweepPoint;
  let keys: Set<string> | undefined;
  for (const part of first.idParts ?? []) if ((def.reads ?? []).some((p) => reads(p, part.key))) (keys ??= new Set()).add(part.key);
  for (const d of g.deps) for (const k of named.get(d) ?? []) (keys ??= new Set()).add(k);
  if (!keys) return NOTHING_READ;
  const textOf = (p: SweepPoint, key: string) => p.idParts?.find((x) => x.key === key)?.text;
  const parts = (first.idParts ?? []).filter((part) => keys.has(part.key) && g.points.every((p) => textOf(p, part.key) === part.text));
  const text = parts.map((p) => p.text).join('-');
  return { text: text && g.rep !== undefined ? `${text}-r${g.rep}` : text, keys };
}

function depsFor(def: TaskDef, point: SweepPoint, points: SweepPoint[], graph: TaskGraph, sweepScope: boolean): TaskId[] {
  const deps = new Set<TaskId>();
  const served = sweepScope ? joinedPoints(def, points) : points;
  for (const need of def.needs ?? []) {
    const perPoint = graph.byPoint.get(need) as Map<string, TaskId>;
    if (sweepScope) for (const p of served) deps.add(perPoint.get(p.id) as TaskId);
    else deps.add(perPoint.get(point.id) as TaskId);
  }
  return [...deps].sort();
}

/**
 * The points a sweep-wide task reads: a task that joins a target where `when` holds reads only
 * those points' outputs, so the points it does not apply to (service=none beside service=redis)
 * are not built for it. Named explicitly where `when` holds nowhere, it reads them all.
 */
function joinedPoints(def: TaskDef, points: SweepPoint[]): SweepPoint[] {
  if (!def.joins) return points;
  const when = def.joins.when;
  const applies = points.filter((p) => when(p.config));
  return applies.length > 0 ? applies : points;
}

/** Ids of instances that depend on each task. */
export function dependentsOf(graph: TaskGraph): Map<TaskId, TaskId[]> {
  const out = new Map<TaskId, TaskId[]>();
  for (const id of graph.order) out.set(id, []);
  for (const t of graph.tasks.values()) for (const d of t.deps) out.get(d)?.push(t.id);
  return out;
}
