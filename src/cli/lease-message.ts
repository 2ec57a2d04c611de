/**
 * What a command that meets another's lease says: who holds the cache (PID, command, last
 * heartbeat) and, when the holder has been silent for several renewals, that it may be hung and
 * which PID to end. Nothing is ever deleted under a live process, hung or not: a stopped or
 * stuck run still holds files open and may resume, and only its user can tell.
 */
import { describeHolder, LEASE_RENEW_MS, type Holder } from '../engine/cache/cache-locks.js';

/** How often this process renews its lease: `BENCH_LEASE_RENEW_MS` (tests make it short) or the default. */
export function leaseRenewMs(): number {
  const v = Number(process.env['BENCH_LEASE_RENEW_MS']);
  return Number.isFinite(v) && v > 0 ? v : LEASE_RENEW_MS;
}

/** The refusal of `command` (`clean`, `gc`, `run`, `up`) because `holder` has the cache. */
export function leaseRefusal(command: string, holder: Holder): string {
  const { text, silent } = describeHolder(holder);
  const harm = command === 'clean' || command === 'gc' ? `${command} would delete outputs it needs` : `${command} would write into a cache it is deleting from`;
  if (silent) {
    return `error: ${text}: it may be hung. ${harm}, and nothing is deleted under a live process; if it is hung, end it (kill ${holder.pid}) and run ${command} again\n`;
  }
  return `error: ${text} is using this cache; ${harm} — run it again when that process has finished\n`;
}
