/**
 * The cache database (`cache/bench.db`): fingerprints of committed outputs, the file stat cache,
 * the resource ledger and per-task claims between concurrent bench processes. Only the
 * coordinating process writes it. WAL, busy timeout, migrations via `PRAGMA user_version`.
 */
import { pidAlive } from '../pid-alive.js';
import Database from 'better-sqlite3';
import type { Fingerprint } from '../hash/fingerprint.js';

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

/** A live resource, written while it is up so a later process can tear it down. */
export interface LedgerRow {
  taskId: string;
  name: string;
  handle: unknown;
  pid: number;
  startedAt: number;
}

const MIGRATIONS = [
  `CREATE TABLE entries (task_id TEXT PRIMARY KEY, status TEXT NOT NULL, digest TEXT NOT NULL,
     fingerprint TEXT NOT NULL, output_digest TEXT, finished_at INTEGER NOT NULL, accessed_at INTEGER NOT NULL);
   CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns TEXT NOT NULL, ino INTEGER NOT NULL, sha256 TEXT NOT NULL);
   CREATE TABLE ledger (task_id TEXT PRIMARY KEY, name TEXT NOT NULL, handle TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL);
   CREATE TABLE claims (task_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, started_at INTEGER NOT NULL);`,
];


/** SQLite-backed cache metadata. */
export class SqliteStore {
  readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.migrate();
    const db = this.db;
    this.stmts = {
      upsert: db.prepare(`INSERT OR REPLACE INTO entries VALUES (@taskId, @status, @digest, @fingerprintJson, @outputDigest, @finishedAt, @finishedAt)`),
      del: db.prepare('DELETE FROM entries WHERE task_id = ?'),
      fileUpsert: db.prepare('INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)'),
      ledgerPut: db.prepare('INSERT OR REPLACE INTO ledger VALUES (?, ?, ?, ?, ?)'),
      ledgerDel: db.prepare('DELETE FROM ledger WHERE task_id = ?'),
      claimGet: db.prepare('SELECT pid FROM claims WHERE task_id = ?'),
      claimPut: db.prepare('INSERT OR REPLACE INTO claims VALUES (?, ?, ?)'),
      claimDel: db.prepare('DELETE FROM claims WHERE task_id = ? AND pid = ?'),
      entryGet: db.prepare('SELECT task_id, status, digest, fingerprint, output_digest, finished_at FROM entries WHERE task_id = ?'),
    };
  }

  private migrate(): void {
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

  putEntry(e: CacheEntry): void {
    this.stmts.upsert.run(e);
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

  ledger(): LedgerRow[] {
    const rows = this.db.prepare('SELECT task_id, name, handle, pid, started_at FROM ledger').raw().all() as unknown[][];
    return rows.map((r) => ({ taskId: r[0] as string, name: r[1] as string, handle: JSON.parse(r[2] as string) as unknown, pid: r[3] as number, startedAt: r[4] as number }));
  }

  ledgerPut(row: LedgerRow): void {
    this.stmts.ledgerPut.run(row.taskId, row.name, JSON.stringify(row.handle ?? null), row.pid, row.startedAt);
  }

  ledgerDelete(taskId: string): void {
    this.stmts.ledgerDel.run(taskId);
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
