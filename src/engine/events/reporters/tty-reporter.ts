/**
 * Live progress on a TTY: one status line redrawn in place — a bar, done / running / queued
 * counts, elapsed time, an ETA from the mean task time and the parallelism seen, the current
 * tasks — then, at the end, the final line and the deduplicated warning summary.
 */
import type { RunEvent } from '../events.js';
import { summaryLine } from './summary-line.js';
import { warningCollector } from './warning-summary.js';

/** `[#####.....]`: `done` of `total` as a bar `width` characters wide. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** `1m05s`, `42s`: short durations for the status line. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Progress counters the status line is drawn from. */
interface Progress {
  total: number;
  done: number;
  start: number;
  ranMs: number;
  ranCount: number;
  running: Set<string>;
}

/** The status line for `p` at time `now`. */
export function statusLine(p: Progress, now: number): string {
  const elapsed = (now - p.start) / 1000;
  const queued = Math.max(0, p.total - p.done - p.running.size);
  const avg = p.ranCount ? p.ranMs / p.ranCount / 1000 : 0;
  const eta = avg && p.running.size ? ` ETA ${formatEta((avg * (queued + p.running.size)) / Math.max(1, p.running.size))}` : '';
  const current = [...p.running].slice(0, 3).join(', ');
  return `${progressBar(p.done, p.total)} ${p.done}/${p.total} done, ${p.running.size} running, ${queued} queued  ${elapsed.toFixed(1)}s${eta}  ${current}`;
}

/** Returns a sink and `stop`, which clears the status line. */
export function ttyReporter(out: NodeJS.WriteStream): { sink: (e: RunEvent) => void; stop: () => void } {
  const p: Progress = { total: 0, done: 0, start: Date.now(), ranMs: 0, ranCount: 0, running: new Set() };
  const warnings = warningCollector();
  const draw = (): void => void out.write(`\r\x1b[K${statusLine(p, Date.now()).slice(0, (out.columns || 100) - 1)}`);
  const timer = setInterval(draw, 250);
  timer.unref();
  const say = (s: string): void => void out.write(`\r\x1b[K${s}\n`);
  const sink = (e: RunEvent): void => {
    warnings.sink(e);
    if (e.kind === 'run-started') {
      p.total = e.total;
      p.start = e.at;
    } else if (e.kind === 'task-started') p.running.add(e.taskId);
    else if (e.kind === 'task-skipped') p.done++;
    else if (e.kind === 'task-finished') {
      p.running.delete(e.taskId);
      p.done++;
      p.ranMs += e.ms;
      p.ranCount++;
      if (e.outcome !== 'ok') say(`✗ ${e.taskId} ${e.outcome}${e.error ? `: ${e.error}` : ''}`);
    } else if (e.kind === 'run-finished') {
      clearInterval(timer);
      say(`${summaryLine(e)}`);
      for (const line of warnings.summary()) say(line);
      return;
    }
    if (e.kind !== 'task-log') draw();
  };
  return { sink, stop: () => clearInterval(timer) };
}
