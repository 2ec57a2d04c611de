/** Plain lines for non-TTY output: one line per started/finished task and resource, a summary at the end. */
import { formatReason } from '../../hash/fingerprint.js';
import type { RunEvent } from '../events.js';
import { summaryLine } from './summary-line.js';
import { warningCollector } from './warning-summary.js';

/**
 * Returns a sink writing lines through `write`. Skipped tasks are counted, not listed; the
 * run's warnings are repeated, deduplicated, after the final line.
 */
export function plainReporter(write: (line: string) => void): (e: RunEvent) => void {
  const warnings = warningCollector();
  return (e) => {
    warnings.sink(e);
    switch (e.kind) {
      case 'task-started':
        write(`▶ ${e.taskId} (${formatReason(e.reason)}${e.attempt > 1 ? `, attempt ${e.attempt}` : ''})`);
        break;
      case 'task-finished':
        write(e.outcome === 'ok' ? `✓ ${e.taskId} ${e.ms} ms` : `✗ ${e.taskId} ${e.outcome}${e.error ? `: ${e.error}` : ''}`);
        break;
      case 'task-log':
        if (e.level !== 'debug') write(`  ${e.taskId}: ${e.message}`);
        break;
      case 'resource-up':
        write(`↑ ${e.taskId} up`);
        break;
      case 'resource-down':
        write(`↓ ${e.taskId} down${e.error ? ` (${e.error})` : ''}`);
        break;
      case 'run-finished':
        write(`${summaryLine(e)}`);
        for (const line of warnings.summary()) write(line);
        break;
      default:
        break;
    }
  };
}
