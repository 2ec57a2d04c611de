/** A damaged or emptied cache database is rebuilt from the output manifests next to the store. */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../../src/engine/cache/blob-store.js';
import { writeManifest } from '../../../../src/engine/cache/manifests.js';
import { isCorruption, openStore, recoverCorruptStore } from '../../../../src/engine/cache/open-store.js';
import { SqliteStore } from '../../../../src/engine/cache/sqlite-store.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Commits `n` outputs the way the runner does (blob, manifest, row); the last task is committed twice. */
function fill(n: number): BlobStore {
  const blobs = new BlobStore(dir);
  const store = new SqliteStore(join(dir, 'bench.db'));
  for (let i = 0; i <= n; i++) {
    const tmp = blobs.makeTemp();
    writeFileSync(join(tmp, 'o'), `output ${i} `.repeat(200));
    const id = `t[${Math.min(i, n - 1)}]`;
    const e = { taskId: id, status: 'done' as const, digest: `fp${i}`, fingerprintJson: `{"i":${i}}`, outputDigest: blobs.commit(tmp), finishedAt: 1000 + i };
    writeManifest(dir, e);
    store.putEntry(e);
  }
  store.close();
  return blobs;
}

describe('recovering the cache index', () => {
  it('moves a damaged database aside and re-indexes every output with its latest fingerprint', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-recover-'));
    const blobs = fill(50);
    const fd = openSync(join(dir, 'bench.db'), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, 0);
    closeSync(fd);
    let thrown: unknown;
    try {
      new SqliteStore(join(dir, 'bench.db')).loadEntries();
    } catch (e) {
      thrown = e;
    }
    expect(isCorruption(thrown)).toBe(true);
    expect(recoverCorruptStore(dir, blobs, thrown)).toMatch(/is damaged .*rebuilt the index of 50 finished outputs/);
    expect(readdirSync(dir).filter((f) => f.startsWith('bench.db.corrupt-'))).toHaveLength(1);
    const store = new SqliteStore(join(dir, 'bench.db'));
    const entries = store.loadEntries();
    expect(entries.size).toBe(50);
    expect(entries.get('t[49]')?.digest).toBe('fp50');
    expect(store.historyEntry('t[49]', 'fp49')?.outputDigest).toBeTruthy();
    store.close();
  });

  it('re-indexes an emptied database on open, and only outputs still in the store', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-recover-'));
    const blobs = fill(5);
    const gone = readdirSync(join(dir, 'store'))[0] as string;
    rmSync(join(dir, 'store', gone), { recursive: true });
    truncateSync(join(dir, 'bench.db'), 0);
    for (const s of ['-wal', '-shm']) rmSync(join(dir, `bench.db${s}`), { force: true });
    const { store, notice } = openStore(dir, new BlobStore(dir));
    expect(notice).toMatch(/missing or empty/);
    expect([...store.loadEntries().values()].every((e) => e.outputDigest !== gone && blobs.has(e.outputDigest as string))).toBe(true);
    store.close();
  });

  it('says nothing for a new cache', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-recover-'));
    mkdirSync(dir, { recursive: true });
    const { store, notice } = openStore(dir, new BlobStore(dir));
    expect(notice).toBeUndefined();
    expect(existsSync(join(dir, 'bench.db'))).toBe(true);
    store.close();
  });
});
