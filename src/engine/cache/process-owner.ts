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

/** The start time of a process in clock ticks since boot (`/proc/PID/stat` field 22), or '' where unknown. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? '';
  } catch {
    return '';
  }
}

let self: ProcessOwner | undefined;

/** This process. */
export function selfOwner(): ProcessOwner {
  self ??= { pid: process.pid, start: processStart(process.pid) };
  return self;
}

/** True while the owner runs: its pid exists and, where recorded, started when the row says. */
export function ownerAlive(o: ProcessOwner): boolean {
  if (!pidAlive(o.pid)) return false;
  if (!o.start) return true;
  const now = processStart(o.pid);
  return now === '' || now === o.start;
}

/** True for this very process (not merely one that reused its pid). */
export function isSelf(o: ProcessOwner): boolean {
  const me = selfOwner();
  return o.pid === me.pid && (o.start === '' || o.start === me.start);
}
