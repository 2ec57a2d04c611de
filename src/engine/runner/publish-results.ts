/**
 * Human-facing results: after a run, `results/<task-name with ':' as '-'>/<instance label>` is a
 * symlink to each target instance's committed output dir (only targets no other selected target
 * depends on, so `bench` with no targets links the final outputs, not every intermediate step) in the content store (so nothing is
 * copied and the link always shows the latest commit), and files a task lists in `publish` are
 * copied to `results/` top level (copies, so they survive `bench clean` / `bench gc`).
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from '../cache/blob-store.js';
import type { Task, TaskGraph, TaskId } from '../graph/task-graph.js';

/** Links and publishes outputs of the given finished target instances; returns the paths created. */
export function publishResults(o: { root: string; graph: TaskGraph; blobs: BlobStore; targets: TaskId[]; outputs: Map<TaskId, string> }): string[] {
  const made: string[] = [];
  const resultsDir = join(o.root, 'results');
  const selected = new Set(o.targets);
  const inner = new Set<TaskId>();
  for (const id of o.targets) for (const d of o.graph.tasks.get(id)?.deps ?? []) if (selected.has(d)) inner.add(d);
  const madeDirs = new Set<string>();
  for (const id of o.targets) {
    if (inner.has(id)) continue;
    const task = o.graph.tasks.get(id) as Task;
    const digest = o.outputs.get(id);
    if (task.def.kind !== 'artifact' || !digest) continue;
    const dir = join(resultsDir, task.name.replace(/:/g, '-'));
    if (!madeDirs.has(dir)) mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
    const link = join(dir, task.label);
    const target = o.blobs.dirOf(digest);
    if (linkTarget(link) !== target) {
      const tmp = `${link}.tmp-${process.pid}`;
      if (linkTarget(tmp) !== undefined) unlinkSync(tmp);
      symlinkSync(target, tmp);
      renameSync(tmp, link);
    }
    made.push(link);
    for (const file of task.def.publish ?? []) {
      const src = join(o.blobs.dirOf(digest), file);
      if (!existsSync(src)) continue;
      const dest = join(resultsDir, file);
      // A no-op run leaves published files alone (same inode, same mtime): watchers and rsync see no change.
      if (!sameContent(src, dest)) {
        copyFileSync(src, `${dest}.tmp-${process.pid}`);
        renameSync(`${dest}.tmp-${process.pid}`, dest);
      }
      made.push(dest);
    }
  }
  return made;
}

function sameContent(a: string, b: string): boolean {
  try {
    return statSync(a).size === statSync(b).size && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

function linkTarget(p: string): string | undefined {
  try {
    return lstatSync(p).isSymbolicLink() ? readlinkSync(p) : '';
  } catch {
    return undefined;
  }
}
