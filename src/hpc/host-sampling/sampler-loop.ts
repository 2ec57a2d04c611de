/**
 * The remote half of host sampling: a shell loop left running on each host that appends a /proc
 * snapshot to a file every interval, read once when the run ends. One SSH command per host per
 * run instead of one per sample: on a 1-vCPU VM under emulation each command costs a noticeable
 * share of the CPU that the jobs being measured use.
 */
import { parseProcSnapshot, PROC_SNAPSHOT_SCRIPT, type ProcCounters } from './proc-sample.js';

const BEGIN = '@@ ';
const END = '@@end';

/**
 * The loop. It prints a byte per round on the channel that started it, so once that channel is
 * gone (bench stopped it, or bench died and the connection dropped) the next write ends the loop
 * with SIGPIPE: nothing is left running on a host bench does not own.
 */
export function samplerLoopScript(file: string, intervalS: number): string {
  return [
    `f='${file}'`,
    // The reader stops the loop by this PID before it reads, so no write lands after the rm.
    'echo "@@pid $$" > "$f"',
    'while :; do',
    `  { echo "${BEGIN}$(date +%s.%N)"; ${PROC_SNAPSHOT_SCRIPT}; echo '${END}'; } >> "$f"`,
    '  echo . || exit 0',
    `  sleep ${intervalS}`,
    'done',
  ].join('\n');
}

/**
 * Stops the loop if it still runs (waiting up to 2 s for it to go), prints its file, removes it,
 * and prints the host's clock for the offset.
 */
export function samplerReadScript(file: string): string {
  return [
    `f='${file}'`,
    'pid=$(sed -n "s/^@@pid //p" "$f" 2>/dev/null | head -n 1)',
    // Only the loop itself (its command line names the file): a reused PID is left alone.
    'if [ -n "$pid" ] && tr "\\0" " " < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$f" && kill "$pid" 2>/dev/null; then',
    // A zombie (stopped, not yet reaped by its parent) writes nothing more.
    '  i=0; while kill -0 "$pid" 2>/dev/null && ! grep -qs ") Z" "/proc/$pid/stat" && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done',
    'fi',
    'cat "$f" 2>/dev/null; rm -f "$f"',
    'echo "@@now $(date +%s.%N)"',
  ].join('\n');
}

/** A snapshot and the host's clock when it was taken, epoch seconds. */
export interface TimedCounters { t: number; counters: ProcCounters }

/**
 * The complete snapshots in the loop's output, in order. A snapshot cut short when the loop was
 * stopped has no end mark and is left out; so is one that does not parse.
 */
export function parseSamplerLog(text: string): { samples: TimedCounters[]; hostNow?: number } {
  const samples: TimedCounters[] = [];
  let hostNow: number | undefined;
  for (const chunk of text.split(`\n${BEGIN}`).map((c, i) => (i === 0 ? c.replace(/^@@ /, '') : c))) {
    const now = /^@@now (\S+)\s*$/m.exec(chunk);
    if (now) hostNow = Number.parseFloat(now[1] as string);
    const end = chunk.indexOf(`\n${END}`);
    if (end < 0) continue;
    const t = Number.parseFloat(chunk.slice(0, chunk.indexOf('\n')));
    if (!Number.isFinite(t)) continue;
    try {
      samples.push({ t, counters: parseProcSnapshot(chunk.slice(chunk.indexOf('\n') + 1, end)) });
    } catch {
      continue;
    }
  }
  return hostNow === undefined ? { samples } : { samples, hostNow };
}

/**
 * Seconds the host's clock is ahead of ours, from its clock read between `sentMs` and
 * `answeredMs` (our epoch milliseconds): VM clocks under emulation drift from the host's.
 */
export function clockOffsetS(hostNow: number, sentMs: number, answeredMs: number): number {
  return hostNow - (sentMs + answeredMs) / 2000;
}
