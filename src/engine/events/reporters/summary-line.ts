/** The last line of a run, shared by the reporters. */
import type { RunEvent } from '../events.js';

/** `done: …`, `interrupted: …` (SIGINT/SIGTERM, whatever failed on the way down) or `FAILED: …`. */
export function summaryLine(e: Extract<RunEvent, { kind: 'run-finished' }>): string {
  const head = e.cancelled ? 'interrupted' : e.ok ? 'done' : 'FAILED';
  const restored = e.restored ? `${e.restored} restored from history, ` : '';
  return `${head}: ${e.ran} ran, ${restored}${e.skipped} up to date, ${e.failed} failed in ${(e.ms / 1000).toFixed(2)} s`;
}
