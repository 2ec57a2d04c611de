/** The NDJSON event log of a run (`cache/logs/<time>-<pid>.ndjson`): every event, one per line, buffered. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../events.js';

/** A sink plus `flush`; lines are written in batches so a 100k-task no-op run stays cheap. */
export function ndjsonReporter(logDir: string): { sink: (e: RunEvent) => void; flush: () => void; path: string } {
  mkdirSync(logDir, { recursive: true });
  const path = join(logDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.ndjson`);
  let buf: string[] = [];
  const flush = (): void => {
    if (buf.length) appendFileSync(path, buf.join(''));
    buf = [];
  };
  const sink = (e: RunEvent): void => {
    buf.push(JSON.stringify(e) + '\n');
    // Flush what matters for a post-mortem after kill -9 right away.
    if (buf.length >= 2000 || e.kind !== 'task-skipped') flush();
  };
  return { sink, flush, path };
}
