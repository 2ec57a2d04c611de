/**
 * Which code each task runs: from a module graph (the project's modules, the linked library's
 * modules, package versions) to the `code` field of a task's fingerprint. Pure; the graph is
 * read and cached by `loadCodeGraph`.
 */

/** Modules by key: project-relative paths, `bench:src/...` for the library, `npm:name` for packages. */
export interface CodeGraph {
  /** Module key → digest of its minified text (for `npm:` keys: the package version). */
  digests: Record<string, string>;
  /** Module key → keys it imports, statically or by `import('...')`. */
  edges: Record<string, string[]>;
  /** Task name → modules that declare it (`name: '...'`), for per-task granularity. */
  declaredIn: Record<string, string[]>;
  /** The benchfile's module: what a task declared with a computed name is charged with. */
  entry: string;
}

/**
 * Returns `codeOf(taskName)`: the digests of every module reachable from the modules declaring the
 * task. A task declared nowhere by a literal name (names built at load time) gets the whole
 * benchfile's closure: coarser, never stale. Records are memoised by their start modules, so a
 * 100k-task benchfile built in one module computes one closure.
 */
export function codeRecorder(graph: CodeGraph): (taskName: string) => Record<string, string> {
  const byStart = new Map<string, Record<string, string>>();
  const byName = new Map<string, Record<string, string>>();
  return (taskName) => {
    let rec = byName.get(taskName);
    if (rec) return rec;
    const starts = graph.declaredIn[taskName] ?? [graph.entry];
    const key = starts.join('\n');
    rec = byStart.get(key);
    if (!rec) byStart.set(key, (rec = closureRecord(graph, starts)));
    byName.set(taskName, rec);
    return rec;
  };
}

function closureRecord(graph: CodeGraph, starts: string[]): Record<string, string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length) {
    const key = stack.pop() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const next of graph.edges[key] ?? []) if (!seen.has(next)) stack.push(next);
  }
  const rec: Record<string, string> = {};
  for (const key of [...seen].sort()) rec[key] = graph.digests[key] ?? 'missing';
  return rec;
}

/** `name: 'x'` literals of a module's text (not `name: 'x' + i`): the task names it declares. */
export function declaredNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bname:\s*(['"`])([^'"`$\\\n]+)\1(?=\s*[,}\n])/g)) names.add(m[2] as string);
  return [...names];
}
