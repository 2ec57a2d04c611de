/**
 * Who owns a cache row (a resource in the ledger, a lock, a lease): a process id plus the
 * process's start time, so that a row left by a dead process is not mistaken for a live one when
 * the kernel hands its pid to an unrelated process later.
 */
import { readFileSync } from 'node:fs';
import { pidAlive } from '../pid-alive.js';

/** A process, identified across pid reuse. `start` is '' where it was not recorded (rows from before it was). */
export interface ProcessOwner {
  pid: number;
  start: string;
}

/** State letter and start time (clock ticks since boot, field 22) from `/proc/PID/stat`; undefined where unreadable. */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** The start time of a process, or '' where unknown. */
export function processStart(pid: number): string {
  return procStat(pid)?.start ?? '';
}

let self: ProcessOwner | undefined;

/** This process. */
export function selfOwner(): ProcessOwner {
  self ??= { pid: process.pid, start: processStart(process.pid) };
  return self;
}

/**
 * True while the owner runs: its pid exists, is not a zombie (a killed process its parent has not
 * reaped yet does nothing more) and, where recorded, started when the row says.
 */
export function ownerAlive(o: ProcessOwner): boolean {
  if (!pidAlive(o.pid)) return false;
  const now = procStat(o.pid);
  if (!now) return true;
  if (now.state === 'Z' || now.state === 'X') return false;
  return !o.start || now.start === o.start;
}

/** True for this very process (not merely one that reused its pid). */
export function isSelf(o: ProcessOwner): boolean {
  const me = selfOwner();
  return o.pid === me.pid && (o.start === '' || o.start === me.start);
}
