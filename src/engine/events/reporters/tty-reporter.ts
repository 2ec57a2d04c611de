/** Live progress on a TTY: one status line (done / running / queued, current tasks, elapsed, ETA) redrawn in place. */
import type { RunEvent } from '../events.js';

/** Returns a sink and `stop`, which clears the status line. */
export function ttyReporter(out: NodeJS.WriteStream): { sink: (e: RunEvent) => void; stop: () => void } {
  let total = 0;
  let done = 0;
  let start = Date.now();
  let ranMs = 0;
  let ranCount = 0;
  const running = new Set<string>();
  const draw = (): void => {
    const elapsed = (Date.now() - start) / 1000;
    const queued = Math.max(0, total - done - running.size);
    const avg = ranCount ? ranMs / ranCount / 1000 : 0;
    const eta = avg && running.size ? ` ETA ${Math.ceil((avg * (queued + running.size)) / Math.max(1, running.size))}s` : '';
    const current = [...running].slice(0, 3).join(', ');
    const line = `[${done}/${total} done, ${running.size} running, ${queued} queued] ${elapsed.toFixed(1)}s${eta} ${current}`;
    out.write(`\r\x1b[K${line.slice(0, (out.columns || 100) - 1)}`);
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  const say = (s: string): void => void out.write(`\r\x1b[K${s}\n`);
  const sink = (e: RunEvent): void => {
    if (e.kind === 'run-started') { total = e.total; start = e.at; }
    else if (e.kind === 'task-started') running.add(e.taskId);
    else if (e.kind === 'task-skipped') done++;
    else if (e.kind === 'task-finished') {
      running.delete(e.taskId);
      done++;
      ranMs += e.ms;
      ranCount++;
      if (e.outcome !== 'ok') say(`✗ ${e.taskId} ${e.outcome}${e.error ? `: ${e.error}` : ''}`);
    } else if (e.kind === 'run-finished') {
      clearInterval(timer);
      say(`${e.ok ? 'done' : 'FAILED'}: ${e.ran} ran, ${e.skipped} up to date, ${e.failed} failed in ${(e.ms / 1000).toFixed(2)} s`);
      return;
    }
    if (e.kind !== 'task-log') draw();
  };
  return { sink, stop: () => clearInterval(timer) };
}
