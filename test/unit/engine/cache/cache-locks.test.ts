/**
 * Leases and exclusive locks between bench processes, on a real SQLite file: a live owner holds
 * them off, a dead one (or a pid reused by an unrelated process) does not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../../support/wait.js';
import { describeHolder, type Holder } from '../../../../src/engine/cache/cache-locks.js';
import { processStart } from '../../../../src/engine/cache/process-owner.js';
import { SqliteStore } from '../../../../src/engine/cache/sqlite-store.js';

let dir: string;
let store: SqliteStore;
let other: ChildProcess;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-locks-'));
  store = new SqliteStore(join(dir, 'bench.db'));
  other = spawn('sleep', ['60'], { stdio: 'ignore' });
});
afterEach(() => {
  other.kill('SIGKILL');
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A pid that no process has now: one that just exited. */
const deadPid = (): number => spawnSync('true').pid as number;
const lease = (pid: number, start: string, kind: string): void => void store.db.prepare('INSERT INTO leases (pid, owner_start, kind, started_at) VALUES (?, ?, ?, ?)').run(pid, start, kind, Date.now());
const lock = (name: string, pid: number, start: string): void => void store.db.prepare('INSERT INTO locks VALUES (?, ?, ?, ?)').run(name, pid, start, Date.now());

describe('leases', () => {
  it('runs share the cache; maintenance waits for live runs and runs wait for it', () => {
    const pid = other.pid as number;
    lease(pid, processStart(pid), 'run');
    expect(store.locks.takeLease('run')).toBeUndefined();
    store.locks.releaseLease();
    expect(store.locks.takeLease('maintenance')).toMatchObject({ pid, kind: 'run' });
    store.db.exec('DELETE FROM leases');
    lease(pid, processStart(pid), 'maintenance');
    expect(store.locks.takeLease('run')).toMatchObject({ pid, kind: 'maintenance' });
  });

  it('ignores and removes leases of dead owners and of a pid now used by another process', () => {
    lease(deadPid(), '123', 'run');
    lease(other.pid as number, 'not-its-start-time', 'run');
    expect(store.locks.takeLease('maintenance')).toBeUndefined();
    expect(store.db.prepare('SELECT count(*) AS n FROM leases').get()).toEqual({ n: 1 });
  });
});

describe('lease renewal', () => {
  it('a held lease is renewed by its heartbeat and names its command', async () => {
    expect(store.locks.takeLease('run', { command: 'bench scale=1,2', renewEveryMs: 50 })).toBeUndefined();
    const [mine] = store.locks.leases();
    expect(mine).toMatchObject({ pid: process.pid, kind: 'run', command: 'bench scale=1,2', renewEveryMs: 50, alive: true });
    const first = mine?.renewedAt as number;
    // Two beats later the renewal time has moved on (polled; the interval is 50 ms).
    const renewed = await until('a heartbeat', () => {
      const at = store.locks.leases()[0]?.renewedAt as number;
      return at >= first + 100 ? at : undefined;
    }, 10_000, 20);
    expect(renewed).toBeGreaterThanOrEqual(first + 100);
    store.locks.releaseLease();
    expect(store.locks.leases()).toEqual([]);
  });

  it('a refusal names the holder, its command and its last heartbeat, and calls a long-silent one possibly hung', () => {
    const pid = other.pid as number;
    store.db.prepare('INSERT INTO leases VALUES (?, ?, ?, ?, ?, ?, ?)').run(pid, processStart(pid), 'run', Date.now() - 60_000, Date.now() - 1000, 5000, 'bench sweep');
    const holder = store.locks.takeLease('maintenance') as Holder;
    expect(holder).toMatchObject({ pid, kind: 'run', command: 'bench sweep' });
    expect(describeHolder(holder)).toEqual({ text: expect.stringMatching(new RegExp(`^bench run \\(PID ${pid}, "bench sweep"\\), last heartbeat 1\\.\\d s ago \\(renewed every 5\\.0 s\\)$`)), silent: false });
    expect(describeHolder(holder, (holder.renewedAt as number) + 31_000).silent).toBe(true);
  });
});

describe('exclusive locks', () => {
  it('are held by one live process at a time and released for good', () => {
    const pid = other.pid as number;
    lock('subnet:10.80.0.0/24', pid, processStart(pid));
    expect(store.locks.tryLock(['subnet:10.80.0.0/24'])).toMatchObject({ pid });
    expect(store.locks.tryLock(['subnet:10.81.0.0/24'])).toBeUndefined();
    // Killed but not yet reaped (a zombie): dead all the same.
    other.kill('SIGKILL');
    spawnSync('sh', ['-c', `while ! grep -q '^[0-9]* ([^)]*) Z' /proc/${pid}/stat; do sleep 0.01; done`], { timeout: 5000 });
    expect(store.locks.tryLock(['subnet:10.80.0.0/24'])).toBeUndefined();
    store.locks.releaseLocksExcept(new Set(['subnet:10.80.0.0/24']));
    expect(store.db.prepare('SELECT lock FROM locks ORDER BY lock').all()).toEqual([{ lock: 'subnet:10.80.0.0/24' }]);
    store.locks.releaseAll();
    expect(store.db.prepare('SELECT lock FROM locks').all()).toEqual([]);
  });
});
