import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../src/engine/cache/migrations.js';
import { SqliteStore } from '../../../../src/engine/cache/sqlite-store.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore', () => {
  it('migrates once, keeps entries across reopen, and lets only one live process claim a task', () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
    const a = new SqliteStore(join(dir, 'db'));
    a.putEntry({ taskId: 't[x]', status: 'done', digest: 'd', fingerprintJson: '{}', outputDigest: 'o', finishedAt: 1 });
    expect(a.claim('t[x]', process.pid)).toBeUndefined();
    a.close();
    const b = new SqliteStore(join(dir, 'db'));
    expect(b.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(b.loadEntries().get('t[x]')?.outputDigest).toBe('o');
    // process 1 (init) is alive and holds nothing; our claim blocks another live pid.
    expect(b.claim('t[x]', 1)).toBe(process.pid);
    b.release('t[x]', process.pid);
    expect(b.claim('t[x]', 1)).toBeUndefined();
    b.close();
  });
});

describe('migration to owner-keyed ledger and history (v1 -> v2)', () => {
  it('keeps ledger rows and done entries of a cache written by the previous schema', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
    const { default: Database } = await import('better-sqlite3');
    const old = new Database(join(dir, 'db'));
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old.prepare('INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)').run('t[x]', 'done', 'd1', '{}', 'o1', 5, 5);
    old.prepare('INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)').run('t[y]', 'failed', 'd2', '{}', null, 6, 6);
    old.prepare('INSERT INTO ledger VALUES (?, ?, ?, ?, ?)').run('c[x]', 'c', '{"id":1}', 4242, 7);
    old.close();
    const s = new SqliteStore(join(dir, 'db'));
    expect(s.ledger()).toEqual([{ taskId: 'c[x]', pid: 4242, ownerStart: '', name: 'c', handle: { id: 1 }, startedAt: 7 }]);
    expect(s.historyEntry('t[x]', 'd1')?.outputDigest).toBe('o1');
    expect(s.historyRows().map((h) => h.taskId)).toEqual(['t[x]']);
    s.close();
  });
});
