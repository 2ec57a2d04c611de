/**
 * SLURM prints times as local wall-clock time of the process that formats them
 * (`YYYY-MM-DDTHH:MM:SS`, one-second resolution). bench starts the daemons and its own
 * queries with `TZ=UTC`, but a time zone can be given for daemons it did not start.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * Epoch seconds of a SLURM local time in `timeZone` (IANA name, default UTC); undefined for
 * `Unknown`, `None`, `N/A` and anything else that is not a time. A wall time that occurs twice
 * (clocks going back) resolves to the earlier instant.
 */
export function slurmTimeToEpoch(text: string, timeZone = 'UTC'): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (timeZone === 'UTC') return wall / 1000;
  // The offsets a day either side cover both readings of a wall time that occurs twice.
  const candidates = [offsetAt(wall - 86_400_000, timeZone), offsetAt(wall + 86_400_000, timeZone)]
    .map((o) => wall - o)
    .filter((t) => t + offsetAt(t, timeZone) === wall);
  // A wall time skipped by clocks going forward has no reading: take the offset before the gap.
  return (candidates.length ? Math.min(...candidates) : wall - offsetAt(wall - 86_400_000, timeZone)) / 1000;
}
