/** Provenance the report records about the project itself: its git commit, if it is a git checkout. */
import { spawnSync } from 'node:child_process';

/** `{ commit }` with `-dirty` when tracked files have changes; `{}` outside git or without git. */
export function projectCommit(root: string): { commit?: string } {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8', timeout: 10_000 });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0 || !head.stdout.trim()) return {};
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  return { commit: `${head.stdout.trim()}${dirty.status === 0 && dirty.stdout.trim() ? '-dirty' : ''}` };
}
