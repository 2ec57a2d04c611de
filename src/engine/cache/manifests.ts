/**
 * Output manifests: next to the content-addressed store, `cache/manifests/<name>.json` records
 * which task committed an output and with which fingerprint record. The database is an index of
 * these; when it is lost or damaged it is rebuilt from them, and finished tasks are not rerun.
 *
 * They are kept beside the output dirs, not inside them: an output's address is the digest of its
 * bytes, and a record inside would make equal outputs of different fingerprints differ, which
 * would defeat early cutoff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../hash/canonical-json.js';
import type { CacheEntry } from './sqlite-store.js';

/** The manifest directory of a cache dir. */
export function manifestDir(cacheDir: string): string {
  return join(cacheDir, 'manifests');
}

function fileOf(cacheDir: string, taskId: string, digest: string): string {
  return join(manifestDir(cacheDir), `${sha256Hex(`${taskId}\0${digest}`).slice(0, 40)}.json`);
}

const made = new Set<string>();

/**
 * Writes a done entry's manifest, before its row is committed. Written in place, not through a
 * temp file: a write torn by a kill is unreadable JSON, which recovery skips — and that task's
 * row was never committed either, so nothing is lost. (A rename per task cost a full build ~5%.)
 */
export function writeManifest(cacheDir: string, e: CacheEntry): void {
  const dir = manifestDir(cacheDir);
  const text = JSON.stringify({ taskId: e.taskId, digest: e.digest, fingerprint: e.fingerprintJson, outputDigest: e.outputDigest, finishedAt: e.finishedAt });
  if (made.has(dir)) {
    try {
      writeFileSync(fileOf(cacheDir, e.taskId, e.digest), text);
      return;
    } catch (err) {
      // Removed since (bench clean in between): make it again below.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  mkdirSync(dir, { recursive: true });
  made.add(dir);
  writeFileSync(fileOf(cacheDir, e.taskId, e.digest), text);
}

/** Every readable manifest as a done entry; unreadable ones (a torn write) are skipped. */
export function readManifests(cacheDir: string): CacheEntry[] {
  const dir = manifestDir(cacheDir);
  if (!existsSync(dir)) return [];
  const out: CacheEntry[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    try {
      const m = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { taskId: string; digest: string; fingerprint: string; outputDigest: string; finishedAt: number };
      if (typeof m.taskId !== 'string' || typeof m.outputDigest !== 'string') continue;
      out.push({ taskId: m.taskId, status: 'done', digest: m.digest, fingerprintJson: m.fingerprint, outputDigest: m.outputDigest, finishedAt: m.finishedAt });
    } catch {
      // A manifest that cannot be read recovers nothing; its task reruns.
    }
  }
  return out;
}

/** Removes the manifests of one task's fingerprints. */
export function removeManifests(cacheDir: string, rows: { taskId: string; digest: string }[]): void {
  for (const r of rows) rmSync(fileOf(cacheDir, r.taskId, r.digest), { force: true });
}

/** Removes manifests whose output is no longer in the store; returns how many. */
export function pruneManifests(cacheDir: string, outputExists: (digest: string) => boolean): number {
  let n = 0;
  for (const m of readManifests(cacheDir)) {
    if (m.outputDigest && outputExists(m.outputDigest)) continue;
    removeManifests(cacheDir, [m]);
    n++;
  }
  return n;
}
