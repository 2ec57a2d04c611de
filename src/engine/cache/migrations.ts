/**
 * Schema of `cache/bench.db`, one step per `PRAGMA user_version`. Steps are append-only: a cache
 * written by an older bench is brought forward, never rebuilt.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE entries (task_id TEXT PRIMARY KEY, status TEXT NOT NULL, digest TEXT NOT NULL,
     fingerprint TEXT NOT NULL, output_digest TEXT, finished_at INTEGER NOT NULL, accessed_at INTEGER NOT NULL);
   CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns TEXT NOT NULL, ino INTEGER NOT NULL, sha256 TEXT NOT NULL);
   CREATE TABLE ledger (task_id TEXT PRIMARY KEY, name TEXT NOT NULL, handle TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL);
   CREATE TABLE claims (task_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, started_at INTEGER NOT NULL);`,
  // v2. The ledger is keyed by owner as well as task id: two processes bringing up a resource for
  // the same task each hold their own row, and neither's teardown deletes the other's.
  // `history` keeps every committed fingerprint of a task, not only the latest, so a narrower
  // sweep does not make `gc` drop the outputs of the full one. `leases` lets clean/gc see live
  // runs (and runs see a clean in progress); `locks` makes exclusive resource locks hold across
  // processes.
  `CREATE TABLE ledger_v2 (task_id TEXT NOT NULL, owner_pid INTEGER NOT NULL, owner_start TEXT NOT NULL, name TEXT NOT NULL,
     handle TEXT NOT NULL, started_at INTEGER NOT NULL, PRIMARY KEY (task_id, owner_pid, owner_start));
   INSERT INTO ledger_v2 SELECT task_id, pid, '', name, handle, started_at FROM ledger;
   DROP TABLE ledger;
   ALTER TABLE ledger_v2 RENAME TO ledger;
   CREATE TABLE history (task_id TEXT NOT NULL, digest TEXT NOT NULL, fingerprint TEXT NOT NULL, output_digest TEXT NOT NULL,
     finished_at INTEGER NOT NULL, accessed_at INTEGER NOT NULL, PRIMARY KEY (task_id, digest));
   INSERT INTO history SELECT task_id, digest, fingerprint, output_digest, finished_at, accessed_at FROM entries
     WHERE status = 'done' AND output_digest IS NOT NULL;
   CREATE TABLE leases (pid INTEGER NOT NULL, owner_start TEXT NOT NULL, kind TEXT NOT NULL, started_at INTEGER NOT NULL,
     PRIMARY KEY (pid, owner_start));
   CREATE TABLE locks (lock TEXT PRIMARY KEY, pid INTEGER NOT NULL, owner_start TEXT NOT NULL, acquired_at INTEGER NOT NULL);`,
  // v3. Kept sessions (`bench up`): a row may outlive its owner on purpose; only `bench down`
  // removes it. `instance` is the digest of the resource's definition and config, so a later run
  // reuses a kept resource only when it would have brought up the same thing.
  `ALTER TABLE ledger ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE ledger ADD COLUMN instance TEXT NOT NULL DEFAULT '';`,
  // v4. Leases are renewed by a heartbeat while their run lives, and say what holds them: clean/gc
  // and `bench status` name the command and how long it has been silent, so a hung run can be
  // told from a busy one (and killed by its PID) instead of being cleaned out from under.
  `ALTER TABLE leases ADD COLUMN renewed_at INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE leases ADD COLUMN renew_every_ms INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE leases ADD COLUMN command TEXT NOT NULL DEFAULT '';`,
];
