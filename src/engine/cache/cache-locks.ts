/**
 * Coordination between bench processes on one cache, in SQLite rows that name their owner
 * (pid + start time) and are ignored, then deleted, once the owner is dead:
 * - leases: every run holds a `run` lease; `clean` and `gc` need the cache to themselves and take
 *   a `maintenance` lease, which neither coexists with runs nor with another maintenance;
 * - locks: the `exclusive` lock of a resource (one cluster per subnet, one VM cluster per host)
 *   held by one process at a time.
 * Each check-and-take is one immediate transaction, so two processes cannot both win.
 */
import type Database from 'better-sqlite3';
import { ownerAlive, selfOwner, type ProcessOwner } from './process-owner.js';

export type LeaseKind = 'run' | 'maintenance';

/** Who is in the way of a lease or lock. */
export interface Holder extends ProcessOwner {
  kind: string;
}

export class CacheLocks {
  private readonly held = new Set<string>();
  private leased = false;

  constructor(private readonly db: Database.Database) {}

  /** Takes a lease for this process; returns the live holder in the way instead, if any. */
  takeLease(kind: LeaseKind): Holder | undefined {
    const me = selfOwner();
    return this.db.transaction((): Holder | undefined => {
      const rows = this.db.prepare('SELECT pid, owner_start, kind FROM leases').raw().all() as [number, string, string][];
      for (const [pid, start, k] of rows) {
        const o = { pid, start };
        if (pid === me.pid && start === me.start) continue;
        if (!ownerAlive(o)) {
          this.db.prepare('DELETE FROM leases WHERE pid = ? AND owner_start = ?').run(pid, start);
          continue;
        }
        if (kind === 'maintenance' || k === 'maintenance') return { ...o, kind: k };
      }
      this.db.prepare('INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?)').run(me.pid, me.start, kind, Date.now());
      this.leased = true;
      return undefined;
    }).immediate();
  }

  releaseLease(): void {
    if (!this.leased) return;
    const me = selfOwner();
    this.db.prepare('DELETE FROM leases WHERE pid = ? AND owner_start = ?').run(me.pid, me.start);
    this.leased = false;
  }

  /** Takes every lock or none; returns the live holder of the first one taken elsewhere. */
  tryLock(locks: string[]): Holder | undefined {
    const me = selfOwner();
    const need = locks.filter((l) => !this.held.has(l));
    if (!need.length) return undefined;
    return this.db.transaction((): Holder | undefined => {
      const get = this.db.prepare('SELECT pid, owner_start FROM locks WHERE lock = ?').raw();
      for (const l of need) {
        const r = get.get(l) as [number, string] | undefined;
        if (r && !(r[0] === me.pid && r[1] === me.start) && ownerAlive({ pid: r[0], start: r[1] })) return { pid: r[0], start: r[1], kind: l };
      }
      const put = this.db.prepare('INSERT OR REPLACE INTO locks VALUES (?, ?, ?, ?)');
      for (const l of need) put.run(l, me.pid, me.start, Date.now());
      for (const l of need) this.held.add(l);
      return undefined;
    }).immediate();
  }

  /** Releases the locks this process holds that are not in `keep`. */
  releaseLocksExcept(keep: Set<string>): void {
    const me = selfOwner();
    const del = this.db.prepare('DELETE FROM locks WHERE lock = ? AND pid = ? AND owner_start = ?');
    for (const l of [...this.held]) {
      if (keep.has(l)) continue;
      del.run(l, me.pid, me.start);
      this.held.delete(l);
    }
  }

  /** Drops everything this process holds (end of run, close). */
  releaseAll(): void {
    this.releaseLocksExcept(new Set());
    this.releaseLease();
  }
}
