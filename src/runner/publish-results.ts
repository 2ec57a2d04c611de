/**
 * Human-facing results: after a run, `results/<task-name with ':' as '-'>/<instance label>` is a
 * symlink to each target instance's committed output dir in the content store (so nothing is
 * copied and the link always shows the latest commit), and files a task lists in `publish` are
 * copied to `results/` top level (copies, so they survive `bench clean` / `bench gc`).
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from '../cache/blob-store.js';
import type { Task, TaskGraph, TaskId } from '../graph/task-graph.js';

/** Links and publishes outputs of the given finished target instances; returns the paths created. */
export function publishResults(o: { root: string; graph: TaskGraph; blobs: BlobStore; targets: TaskId[]; outputs: Map<TaskId, string> }): string[] {
  const made: string[] = [];
  const resultsDir = join(o.root, 'results');
  for (const id of o.targets) {
    const task = o.graph.tasks.get(id) as Task;
    const digest = o.outputs.get(id);
    if (task.def.kind !== 'artifact' || !digest) continue;
    const dir = join(resultsDir, task.name.replace(/:/g, '-'));
    mkdirSync(dir, { recursive: true });
    const link = join(dir, task.label);
    const tmp = `${link}.tmp-${process.pid}`;
    if (existsSync(tmp) || isLink(tmp)) unlinkSync(tmp);
    symlinkSync(o.blobs.dirOf(digest), tmp);
    renameSync(tmp, link);
    made.push(link);
    for (const file of task.def.publish ?? []) {
      const src = join(o.blobs.dirOf(digest), file);
      if (!existsSync(src)) continue;
      const dest = join(resultsDir, file);
      copyFileSync(src, `${dest}.tmp-${process.pid}`);
      renameSync(`${dest}.tmp-${process.pid}`, dest);
      made.push(dest);
    }
  }
  return made;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
