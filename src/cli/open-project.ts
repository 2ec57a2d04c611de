/**
 * Everything a command needs about a project: cache, benchfile, sweep, graph and input digests.
 * Heavy modules (esbuild, the config composer, the glob walker) are imported only when needed.
 */
import { availableParallelism, totalmem } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import type { globSync as GlobSync } from 'tinyglobby';
import { BlobStore } from '../engine/cache/blob-store.js';
import { openStore } from '../engine/cache/open-store.js';
import type { SqliteStore } from '../engine/cache/sqlite-store.js';
import type { Diagnostic } from '../engine/diagnostic.js';
import type { TaskDef } from '../engine/graph/task-def.js';
import { buildTaskGraph, type Task, type TaskGraph } from '../engine/graph/task-graph.js';
import { FileHasher } from '../engine/hash/file-hasher.js';
import { loadSources, type ProjectSources } from './load-sources.js';
import type { HostBudget } from '../engine/runner/run-graph.js';

export interface Project {
  root: string;
  cacheDir: string;
  store: SqliteStore;
  blobs: BlobStore;
  graph: TaskGraph;
  hasher: FileHasher;
  inputsOf(task: Task): Record<string, string>;
  /** The task's `code` fingerprint field: digests of the modules its definition reaches. */
  codeOf(task: Task): Record<string, string>;
  budget: HostBudget;
}

/** `budget: { cpus: auto|N, memory_gib: auto|N, pools: {...} }` from the base config. */
export function budgetOf(base: Record<string, unknown>): HostBudget {
  const b = (base.budget ?? {}) as { cpus?: unknown; memory_gib?: unknown; pools?: unknown };
  const budget: HostBudget = { cpus: typeof b.cpus === 'number' ? b.cpus : availableParallelism() };
  budget.memoryMiB = typeof b.memory_gib === 'number' ? b.memory_gib * 1024 : Math.floor(totalmem() / 2 ** 20);
  if (b.pools && typeof b.pools === 'object') budget.pools = b.pools as Record<string, number>;
  return budget;
}

/** Opens the project at `root`; user mistakes come back as diagnostics (all of them). */
export async function openProject(root: string, overrides: string[], sources?: ProjectSources): Promise<{ project?: Project; diagnostics: Diagnostic[] }> {
  const { cacheDir, bf, sw } = sources ?? (await loadSources(root, overrides));
  const diagnostics = [...bf.diagnostics, ...sw.diagnostics];
  if (!bf.benchfile || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const built = buildTaskGraph({ benchfile: bf.benchfile, sweep: sw.sweep, ...(bf.source ? { source: bf.source } : {}) });
  if (!built.graph) return { diagnostics: [...diagnostics, ...built.diagnostics] };
  // tinyglobby takes ~15 ms to load, as long as checking every input of a 10k-task no-op; plain paths need no walk.
  const glob = [...built.graph.defs.values()].some((d) => d.inputs?.some(isGlob)) ? (await import('tinyglobby')).globSync : undefined;
  const blobs = new BlobStore(cacheDir);
  const { store, notice } = openStore(cacheDir, blobs);
  if (notice) process.stderr.write(`warning: ${notice}\n`);
  const hasher = new FileHasher(root, store.loadFileStats());
  const byDef = new Map<TaskDef, Record<string, string>>();
  const globCache = new Map<string, string[]>();
  const inputsOf = (task: Task): Record<string, string> => {
    let r = byDef.get(task.def);
    if (!r) {
      r = Object.create(null) as Record<string, string>;
      for (const pattern of task.def.inputs ?? []) {
        for (const f of expand(pattern, root, globCache, glob)) r[f] = hasher.digest(f);
      }
      byDef.set(task.def, r);
    }
    return task.def.inputsFrom ? withConfigInputs(r, task, root, hasher) : r;
  };
  const codeByName = bf.codeOf ?? (() => ({}));
  const codeOf = (task: Task): Record<string, string> => codeByName(task.name);
  const project = { root, cacheDir, store, blobs, graph: built.graph, hasher, inputsOf, codeOf, budget: budgetOf(sw.sweep.base) };
  return { project, diagnostics };
}

/** The def's inputs plus the files this instance's config names (`inputsFrom`), by project-relative path where inside. */
function withConfigInputs(base: Record<string, string>, task: Task, root: string, hasher: FileHasher): Record<string, string> {
  const files = task.def.inputsFrom?.(task.config) ?? [];
  if (!files.length) return base;
  const r = Object.assign(Object.create(null) as Record<string, string>, base);
  for (const f of files) {
    const rel = relative(root, resolve(root, f));
    const key = rel.startsWith('..') || isAbsolute(rel) ? resolve(root, f) : rel;
    r[key] = hasher.digest(key);
  }
  return r;
}

/** Plain paths skip the glob walk: the common case costs one stat. `glob` is loaded when some pattern needs it. */
function expand(pattern: string, root: string, cache: Map<string, string[]>, glob: typeof GlobSync | undefined): string[] {
  let files = cache.get(pattern);
  if (!files) {
    files = glob && isGlob(pattern) ? glob(pattern, { cwd: root, onlyFiles: true }).sort() : [pattern];
    cache.set(pattern, files);
  }
  return files;
}

function isGlob(pattern: string): boolean {
  return /[*?[\]{}!]/.test(pattern);
}
