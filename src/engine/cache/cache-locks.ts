/**
 * Coordination between bench processes on one cache, in SQLite rows that name their owner
 * (pid + start time) and are ignored, then deleted, once the owner is dead:
 * - leases: every run holds a `run` lease; `clean` and `gc` need the cache to themselves and take
 *   a `maintenance` lease, which neither coexists with runs nor with another maintenance. A lease
 *   carries its holder's command and is renewed by a heartbeat, so a refusal can say who is in
 *   the way and whether it still shows signs of life;
 * - locks: the `exclusive` lock of a resource (one cluster per subnet, one VM cluster per host)
 *   held by one process at a time.
 * Each check-and-take is one immediate transaction, so two processes cannot both win.
 */
import type Database from 'better-sqlite3';
import { ownerAlive, selfOwner, type ProcessOwner } from './process-owner.js';

/** `bench <args>`: what a holder was started as, for messages (the script path is left out). */
function commandLine(): string {
  return ['bench', ...process.argv.slice(2)].join(' ');
}

export type LeaseKind = 'run' | 'maintenance';

/** How often a lease is renewed unless the caller says otherwise. */
export const LEASE_RENEW_MS = 5000;
/**
 * Missed renewals after which a live holder is called silent. Only the message changes: a live
 * process is never cleaned out from under (a run planning 10^5 tasks or a loaded machine can
 * miss a few beats); the user is told which PID to end if it is hung.
 */
export const SILENT_AFTER_RENEWALS = 6;

/** Who is in the way of a lease or lock. */
export interface Holder extends ProcessOwner {
  kind: string;
  /** For a lease: the holder's command line, when it was last renewed and how often it renews (0: rows from before renewal). */
  command?: string;
  renewedAt?: number;
  renewEveryMs?: number;
}

/** A lease as stored, with whether its owner is alive. */
export interface LeaseRow extends Holder {
  kind: LeaseKind;
  command: string;
  startedAt: number;
  renewedAt: number;
  renewEveryMs: number;
  alive: boolean;
}

/** The lease holder for a message: `bench run (PID 12, "bench scale=1,2"), last heartbeat 0.4 s ago`, and whether it is silent. */
export function describeHolder(h: Holder, now = Date.now()): { text: string; silent: boolean } {
  const what = h.kind === 'run' ? 'bench run' : h.kind === 'maintenance' ? 'bench clean/gc' : h.kind;
  const cmd = h.command ? `, "${h.command}"` : '';
  if (!h.renewedAt || !h.renewEveryMs) return { text: `${what} (PID ${h.pid}${cmd})`, silent: false };
  const ago = Math.max(0, now - h.renewedAt);
  const silent = ago > h.renewEveryMs * SILENT_AFTER_RENEWALS;
  return { text: `${what} (PID ${h.pid}${cmd}), last heartbeat ${(ago / 1000).toFixed(1)} s ago (renewed every ${(h.renewEveryMs / 1000).toFixed(1)} s)`, silent };
}

export class CacheLocks {
  private readonly held = new Set<string>();
  private leased = false;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly db: Database.Database) {}

  /**
   * Takes a lease for this process and renews it every `renewEveryMs` until released; returns the
   * live holder in the way instead, if any. Rows of dead owners (pid gone, or reused by a process
   * with another start time) are taken over: deleted in the same transaction.
   */
  takeLease(kind: LeaseKind, o: { command?: string; renewEveryMs?: number } = {}): Holder | undefined {
    const me = selfOwner();
    const every = o.renewEveryMs ?? LEASE_RENEW_MS;
    const taken = this.db.transaction((): Holder | undefined => {
      for (const row of this.leases()) {
        if (row.pid === me.pid && row.start === me.start) continue;
        if (!row.alive) {
          this.db.prepare('DELETE FROM leases WHERE pid = ? AND owner_start = ?').run(row.pid, row.start);
          continue;
        }
        if (kind === 'maintenance' || row.kind === 'maintenance') return row;
      }
      const now = Date.now();
      this.db.prepare('INSERT OR REPLACE INTO leases (pid, owner_start, kind, started_at, renewed_at, renew_every_ms, command) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(me.pid, me.start, kind, now, now, every, o.command ?? commandLine());
      this.leased = true;
      return undefined;
    }).immediate();
    if (!taken) this.startHeartbeat(every);
    return taken;
  }

  /** Every lease row, live or not, oldest first. */
  leases(): LeaseRow[] {
    const rows = this.db.prepare('SELECT pid, owner_start, kind, started_at, renewed_at, renew_every_ms, command FROM leases ORDER BY started_at').raw().all() as [number, string, LeaseKind, number, number, number, string][];
    return rows.map(([pid, start, kind, startedAt, renewedAt, renewEveryMs, command]) =>
      ({ pid, start, kind, startedAt, renewedAt, renewEveryMs, command, alive: ownerAlive({ pid, start }) }));
  }

  /** Renews this process's lease now (what the heartbeat does). */
  renewLease(): void {
    if (!this.leased || !this.db.open) return;
    const me = selfOwner();
    this.db.prepare('UPDATE leases SET renewed_at = ? WHERE pid = ? AND owner_start = ?').run(Date.now(), me.pid, me.start);
  }

  private startHeartbeat(every: number): void {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      try {
        this.renewLease();
      } catch {
        // A busy or closing database skips one beat; the next one renews (a late beat only makes the holder look silent).
      }
    }, every);
    // The heartbeat alone must not keep a finished process alive.
    this.heartbeat.unref();
  }

  releaseLease(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
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
