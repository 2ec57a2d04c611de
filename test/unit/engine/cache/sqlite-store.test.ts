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
