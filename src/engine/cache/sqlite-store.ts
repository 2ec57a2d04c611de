/**
 * The cache database (`cache/bench.db`): fingerprints of committed outputs (the latest per task
 * and every earlier one still in the store), the file stat cache, the resource ledger and
 * per-task claims between concurrent bench processes. Only the coordinating process writes it.
 * WAL, busy timeout, migrations via `PRAGMA user_version` (see `migrations.ts`).
 */
import { pidAlive } from '../pid-alive.js';
import Database from 'better-sqlite3';
import type { Fingerprint } from '../hash/fingerprint.js';
import { CacheLocks } from './cache-locks.js';
import { MIGRATIONS } from './migrations.js';
import { ownerAlive, selfOwner, type ProcessOwner } from './process-owner.js';

/** One committed (or failed) task instance. The `done` row is the commit marker of its output. */
export interface CacheEntry {
  taskId: string;
  status: 'done' | 'failed';
  digest: string;
  /** The fingerprint record as stored JSON (parsed lazily: a no-op run compares digests only). */
  fingerprintJson: string;
  outputDigest: string | null;
  finishedAt: number;
}

/**
 * A live resource, written while it is up so a later process can tear it down. Keyed by task id
 * and owner: two processes that bring up the same task's resource hold a row each.
 */
export interface LedgerRow {
  taskId: string;
  name: string;
  handle: unknown;
  pid: number;
  /** The owner's start time (see `ProcessOwner`); '' on rows written before it was recorded. */
  ownerStart?: string;
  startedAt: number;
  /** A kept session (`bench up`): stays up after its owner exits; no run or `gc` tears it down, only `bench down`. */
  kept?: boolean;
  /** Digest of what was brought up (definition and config); a kept row is reused only by the same instance. */
  instance?: string;
}

/** SQLite-backed cache metadata. */
export class SqliteStore {
  readonly db: Database.Database;
  /** Leases (runs vs clean/gc) and cross-process exclusive locks. */
  readonly locks: CacheLocks;
  private readonly stmts;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.migrate();
    this.locks = new CacheLocks(this.db);
    const db = this.db;
    this.stmts = {
      upsert: db.prepare(`INSERT OR REPLACE INTO entries VALUES (@taskId, @status, @digest, @fingerprintJson, @outputDigest, @finishedAt, @finishedAt)`),
      del: db.prepare('DELETE FROM entries WHERE task_id = ?'),
      fileUpsert: db.prepare('INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)'),
      historyPut: db.prepare(`INSERT OR REPLACE INTO history VALUES (@taskId, @digest, @fingerprintJson, @outputDigest, @finishedAt, @finishedAt)`),
      historyGet: db.prepare('SELECT task_id, \'done\', digest, fingerprint, output_digest, finished_at FROM history WHERE task_id = ? AND digest = ?'),
      ledgerPut: db.prepare('INSERT OR REPLACE INTO ledger (task_id, owner_pid, owner_start, name, handle, started_at, kept, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      ledgerDel: db.prepare('DELETE FROM ledger WHERE task_id = ? AND owner_pid = ? AND owner_start = ?'),
      claimGet: db.prepare('SELECT pid FROM claims WHERE task_id = ?'),
      claimPut: db.prepare('INSERT OR REPLACE INTO claims VALUES (?, ?, ?)'),
      claimDel: db.prepare('DELETE FROM claims WHERE task_id = ? AND pid = ?'),
      entryGet: db.prepare('SELECT task_id, status, digest, fingerprint, output_digest, finished_at FROM entries WHERE task_id = ?'),
    };
  }

  private migrate(): void {
    // A current schema needs no write: opening stays possible while another process holds the write lock.
    if ((this.db.pragma('user_version', { simple: true }) as number) === MIGRATIONS.length) return;
    // Immediate transaction and re-read: two processes opening a fresh cache migrate once.
    this.db.transaction(() => {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      for (let v = version; v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v] as string);
        this.db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
  }

  /** All entries in one SELECT, so planning N tasks costs one query. */
  loadEntries(): Map<string, CacheEntry> {
    const rows = this.db.prepare('SELECT task_id, status, digest, fingerprint, output_digest, finished_at FROM entries').raw().all() as unknown[][];
    const out = new Map<string, CacheEntry>();
    for (const r of rows) out.set(r[0] as string, rowToEntry(r));
    return out;
  }

  getEntry(taskId: string): CacheEntry | undefined {
    const r = this.stmts.entryGet.raw().get(taskId) as unknown[] | undefined;
    return r ? rowToEntry(r) : undefined;
  }

  /** Commits an entry; a done one is also kept in the history of its task. */
  putEntry(e: CacheEntry): void {
    this.db.transaction(() => {
      this.stmts.upsert.run(e);
      if (e.status === 'done' && e.outputDigest) this.stmts.historyPut.run(e);
    })();
  }

  /** An earlier commit of this task with exactly this fingerprint digest, if kept. */
  historyEntry(taskId: string, digest: string): CacheEntry | undefined {
    const r = this.stmts.historyGet.raw().get(taskId, digest) as unknown[] | undefined;
    return r ? rowToEntry(r) : undefined;
  }

  /** Every kept commit: `(task, output digest, accessed_at)` — what `gc` and `clean TARGET` weigh. */
  historyRows(): { taskId: string; digest: string; outputDigest: string; accessedAt: number }[] {
    const rows = this.db.prepare('SELECT task_id, digest, output_digest, accessed_at FROM history').raw().all() as [string, string, string, number][];
    return rows.map(([taskId, digest, outputDigest, accessedAt]) => ({ taskId, digest, outputDigest, accessedAt }));
  }

  /** Forgets history rows (by task and fingerprint digest). */
  deleteHistory(rows: { taskId: string; digest: string }[]): void {
    const del = this.db.prepare('DELETE FROM history WHERE task_id = ? AND digest = ?');
    this.db.transaction(() => rows.forEach((r) => del.run(r.taskId, r.digest)))();
  }

  /** Record for explain: the parsed fingerprint of an entry. */
  static fingerprintOf(e: CacheEntry): Fingerprint {
    return JSON.parse(e.fingerprintJson) as Fingerprint;
  }

  deleteEntries(taskIds: string[]): void {
    this.db.transaction(() => taskIds.forEach((id) => this.stmts.del.run(id)))();
  }

  loadFileStats(): Map<string, { size: number; mtimeNs: string; ino: number; sha256: string }> {
    const rows = this.db.prepare('SELECT path, size, mtime_ns, ino, sha256 FROM files').raw().all() as unknown[][];
    return new Map(rows.map((r) => [r[0] as string, { size: r[1] as number, mtimeNs: r[2] as string, ino: r[3] as number, sha256: r[4] as string }]));
  }

  saveFileStats(rows: { path: string; size: number; mtimeNs: string; ino: number; sha256: string }[]): void {
    if (!rows.length) return;
    this.db.transaction(() => rows.forEach((r) => this.stmts.fileUpsert.run(r.path, r.size, r.mtimeNs, r.ino, r.sha256)))();
  }

  /**
   * Resources runs own, which crash recovery, `gc` and `clean` may tear down. Kept sessions are
   * left out unless `withKept`: only `bench down` (and `bench status`) deal with those.
   */
  ledger(opts: { withKept?: boolean } = {}): LedgerRow[] {
    const where = opts.withKept ? '' : ' WHERE kept = 0';
    const rows = this.db.prepare(`SELECT task_id, owner_pid, owner_start, name, handle, started_at, kept, instance FROM ledger${where}`).raw().all() as unknown[][];
    return rows.map((r) => ({
      taskId: r[0] as string, pid: r[1] as number, ownerStart: r[2] as string, name: r[3] as string, handle: JSON.parse(r[4] as string) as unknown,
      startedAt: r[5] as number, ...(r[6] === 1 ? { kept: true } : {}), ...(r[7] ? { instance: r[7] as string } : {}),
    }));
  }

  /** The kept session of this task instance, if one is recorded with the same instance digest. */
  keptRow(taskId: string, instance: string): LedgerRow | undefined {
    return this.ledger({ withKept: true }).find((r) => r.kept && r.taskId === taskId && r.instance === instance);
  }

  /** Records a live resource; the owner's start time defaults to this process's when the pid is ours. */
  ledgerPut(row: LedgerRow): void {
    const start = row.ownerStart ?? (row.pid === process.pid ? selfOwner().start : '');
    this.stmts.ledgerPut.run(row.taskId, row.pid, start, row.name, JSON.stringify(row.handle ?? null), row.startedAt, row.kept ? 1 : 0, row.instance ?? '');
  }

  /** Deletes one owner's row of a task (this process's by default), never another owner's. */
  ledgerDelete(taskId: string, owner: ProcessOwner = selfOwner()): void {
    this.stmts.ledgerDel.run(taskId, owner.pid, owner.start);
  }

  /** Ledger rows whose owner is alive: resources another process (or this one) has up now. */
  liveLedger(): LedgerRow[] {
    return this.ledger().filter((r) => ownerAlive({ pid: r.pid, start: r.ownerStart ?? '' }));
  }

  /**
   * Claims a task for this process so that a second bench process on the same cache never runs it
   * at the same time. Returns the pid of the live holder when someone else has it.
   */
  claim(taskId: string, pid: number): number | undefined {
    return this.db.transaction(() => {
      const held = this.stmts.claimGet.get(taskId) as { pid: number } | undefined;
      if (held && held.pid !== pid && pidAlive(held.pid)) return held.pid;
      this.stmts.claimPut.run(taskId, pid, Date.now());
      return undefined;
    }).immediate();
  }

  release(taskId: string, pid: number): void {
    this.stmts.claimDel.run(taskId, pid);
  }

  /** Claims held by processes that no longer exist (left by kill -9). */
  deadClaims(): string[] {
    const rows = this.db.prepare('SELECT task_id, pid FROM claims').raw().all() as [string, number][];
    return rows.filter(([, pid]) => !pidAlive(pid)).map(([id]) => id);
  }

  clearClaims(taskIds: string[]): void {
    const del = this.db.prepare('DELETE FROM claims WHERE task_id = ?');
    this.db.transaction(() => taskIds.forEach((id) => del.run(id)))();
  }

  close(): void {
    if (!this.db.open) return;
    this.locks.releaseAll();
    this.db.close();
  }
}

function rowToEntry(r: unknown[]): CacheEntry {
  return {
    taskId: r[0] as string,
    status: r[1] as 'done' | 'failed',
    digest: r[2] as string,
    fingerprintJson: r[3] as string,
    outputDigest: r[4] as string | null,
    finishedAt: r[5] as number,
  };
}
