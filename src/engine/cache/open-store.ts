/**
 * Opening the cache database, and recovering from a damaged one: the file is moved aside (kept for
 * a post-mortem), a fresh database is created, and its index of committed outputs is rebuilt from
 * the output manifests of every output still in the store.
 */
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { readManifests } from './manifests.js';
import { SqliteStore, type CacheEntry } from './sqlite-store.js';

/** True for SQLite's "this file is not a sound database" errors (as opposed to busy, I/O, bugs). */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * Opens `cache/bench.db`. A database that is missing or empty while manifests exist (deleted, or
 * truncated to nothing) is re-indexed at once; `notice` then says so.
 */
export function openStore(cacheDir: string, blobs: BlobStore): { store: SqliteStore; notice?: string } {
  const path = join(cacheDir, 'bench.db');
  const empty = !existsSync(path) || statSync(path).size === 0;
  const store = new SqliteStore(path);
  if (!empty) return { store };
  const n = reindex(store, cacheDir, blobs);
  return n ? { store, notice: `cache/bench.db was missing or empty; rebuilt its index of ${n} finished outputs from cache/manifests` } : { store };
}

/**
 * Moves a damaged database (and its WAL and shared-memory files) aside and rebuilds the index in a
 * new one. Returns the sentence to show the user.
 */
export function recoverCorruptStore(cacheDir: string, blobs: BlobStore, cause: unknown): string {
  const path = join(cacheDir, 'bench.db');
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  const store = new SqliteStore(path);
  try {
    const n = reindex(store, cacheDir, blobs);
    const why = cause instanceof Error ? cause.message : String(cause);
    return `cache/bench.db is damaged (${why}): moved it to ${aside.slice(cacheDir.length - 'cache'.length)} and rebuilt the index of ${n} finished outputs from cache/manifests; tasks without a manifest (failed, or never finished) will run again`;
  } finally {
    store.close();
  }
}

/** Fills history and the latest entry per task from the manifests whose output is present. */
function reindex(store: SqliteStore, cacheDir: string, blobs: BlobStore): number {
  const found = readManifests(cacheDir).filter((m) => m.outputDigest && blobs.has(m.outputDigest));
  const latest = new Map<string, CacheEntry>();
  for (const m of found) {
    const cur = latest.get(m.taskId);
    if (!cur || cur.finishedAt < m.finishedAt) latest.set(m.taskId, m);
  }
  store.db.transaction(() => {
    for (const m of found) store.putEntry(m);
    // Put the latest last so the entries table holds it.
    for (const m of latest.values()) store.putEntry(m);
  })();
  return latest.size;
}
