/**
 * The run stamp: what a successful run depended on, written after it, so that the next run can
 * tell "nothing changed" without building the graph or reading the cache. It holds a key (the
 * benchfile bundle, the code graph's digests, the declared tasks, the composed sweep points, the
 * targets, this CLI's build) and the stats of everything else a no-op decision reads: every input
 * file as it was hashed, what each input glob matched, the cache database and its WAL, the output
 * store, the published results and the printed summaries. Any difference means the ordinary
 * path runs, so the stamp can only make a no-op faster, never make a change invisible.
 */
import { lstatSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../engine/hash/canonical-json.js';
import type { Benchfile } from '../engine/graph/task-def.js';
import type { ComposedSweep } from '../engine/config/sweep-point.js';
import type { Plan, PlannedTask } from '../engine/runner/plan.js';

export interface RunStamp {
  key: string;
  /** Input path → `size:mtimeNs:ino` when it was hashed, or `missing`. */
  inputs: Record<string, string>;
  /** Input glob → the files it matched. */
  globs: Record<string, string[]>;
  /** Path → `size:mtimeNs:ino`: the cache database, the output store, published results, summaries. */
  watched: Record<string, string>;
  /** Summary files the run printed, printed again by a stamped no-op. */
  summaries: string[];
  /** Tasks a no-op reports as up to date. */
  upToDate: number;
  /** File holding what `--dry-run` prints while the stamp holds (its stats are in `watched`). */
  dryRun?: string;
}

/** `size:mtimeNs:ino` of a path (of the link itself unless `follow`), or `missing`. */
export function statSig(path: string, follow = false): string {
  // No throw for a missing file: building an exception per absent input is what a stat costs most.
  const opts = { bigint: true, throwIfNoEntry: false } as const;
  try {
    const st = follow ? statSync(path, opts) : lstatSync(path, opts);
    return st ? `${st.size}:${st.mtimeNs}:${st.ino}` : 'missing';
  } catch {
    // ENOTDIR, EACCES, ...: as good as missing, and never equal to a recorded signature.
    return 'missing';
  }
}

/** `root/rel` without `path.resolve`'s normalising for the plain relative paths inputs are (a no-op checks 10^3–10^4 of them). */
function under(root: string, rel: string): string {
  return rel.startsWith('/') || rel.startsWith('.') || rel.includes('/.') || rel.includes('//') ? resolve(root, rel) : `${root}/${rel}`;
}

/** The key part of the stamp: what the run's graph and fingerprints are made of. */
export function stampKey(o: { code: string; benchfile: Benchfile; sweep: ComposedSweep; targets: string[] }): string {
  // JSON.stringify drops the tasks' functions; their code is in `code`. Key order follows the
  // benchfile's own code, so it is stable for the same code (a difference only costs a full check).
  const cli = statSig(fileURLToPath(import.meta.url));
  return sha256Hex(JSON.stringify([o.code, cli, o.targets, o.benchfile.tasks, o.sweep.points]));
}

/** Paths outside the inputs whose change must be seen: another process's commit, a gc, a deleted result. */
export function watchedPaths(cacheDir: string): string[] {
  return [join(cacheDir, 'bench.db'), join(cacheDir, 'bench.db-wal'), join(cacheDir, 'store')];
}

export function stampFile(cacheDir: string): string {
  return join(cacheDir, 'run-stamp.json');
}

/** Where the dry-run text of a stamped state is kept: beside the stamp, not in it, so a no-op never parses it. */
export function dryRunFile(cacheDir: string): string {
  return join(cacheDir, 'run-stamp.dry-run.txt');
}

/**
 * The plan the next run makes while the stamp holds: after a successful run every artifact task
 * it needed is committed and up to date, and resources stay resources.
 */
export function settledPlan(plan: Plan): Plan {
  const tasks: PlannedTask[] = plan.tasks.map((p) =>
    p.action === 'resource' ? p : { id: p.id, action: 'skip', reason: { kind: 'up-to-date' }, fingerprint: p.fingerprint });
  return { targets: plan.targets, tasks, byId: new Map(tasks.map((p) => [p.id, p])) };
}

export function readStamp(cacheDir: string): RunStamp | undefined {
  try {
    return JSON.parse(readFileSync(stampFile(cacheDir), 'utf8')) as RunStamp;
  } catch {
    return undefined;
  }
}

export function writeStamp(cacheDir: string, stamp: RunStamp): void {
  // Renamed into place so a reader never sees half a stamp.
  const tmp = `${stampFile(cacheDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(stamp));
  renameSync(tmp, stampFile(cacheDir));
}

/** Forgets the stamp: called before a run starts, so a run that dies leaves none behind. */
export function removeStamp(cacheDir: string): void {
  rmSync(stampFile(cacheDir), { force: true });
  rmSync(dryRunFile(cacheDir), { force: true });
}

/** Whether nothing the stamp covers has changed; `expand` re-walks an input glob. */
export function stampHolds(stamp: RunStamp, key: string, root: string, expand: (pattern: string) => string[]): boolean {
  if (stamp.key !== key) return false;
  for (const [path, sig] of Object.entries(stamp.watched)) if (statSig(path) !== sig) return false;
  // Inputs are stat'ed as the file hasher saw them: through links.
  const base = resolve(root);
  for (const rel in stamp.inputs) if (statSig(under(base, rel), true) !== stamp.inputs[rel]) return false;
  for (const [pattern, files] of Object.entries(stamp.globs)) {
    const now = expand(pattern);
    if (now.length !== files.length || now.some((f, i) => f !== files[i])) return false;
  }
  return true;
}

/** Input globs of every declared task: re-walked by the stamp check (tinyglobby loaded only if any). */
export function globPatterns(benchfile: Benchfile): string[] {
  const out = new Set<string>();
  for (const def of benchfile.tasks) for (const p of def.inputs ?? []) if (/[*?[\]{}!]/.test(p)) out.add(p);
  return [...out].sort();
}

/** Expands input globs the way the project does (files only, sorted). */
export async function globExpander(root: string, patterns: string[]): Promise<(pattern: string) => string[]> {
  if (!patterns.length) return () => [];
  const { globSync } = await import('tinyglobby');
  return (pattern) => globSync(pattern, { cwd: root, onlyFiles: true }).sort();
}
