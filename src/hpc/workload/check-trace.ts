/**
 * Plan-time check of a point's trace file: a malformed SWF record is a located config error
 * (file, line, what was found), exit 2 before anything is provisioned and also under --dry-run,
 * instead of a task failure after the cluster came up.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { parseSwf } from './swf.js';

/** Each file is checked once per process while its size and mtime stay the same (sweeps share traces). */
const checked = new Map<string, { sig: string; errors: Diagnostic[] }>();

/** Errors in the trace file of `config.workload` (none for generated workloads or a missing file: the schema and the task say those). */
export function checkTraceFile(config: Record<string, unknown>, root: string): Diagnostic[] {
  const w = config['workload'] as Record<string, unknown> | undefined;
  if (w?.['kind'] !== 'trace' || typeof w['path'] !== 'string') return [];
  const file = isAbsolute(w['path']) ? w['path'] : resolve(root, w['path']);
  let sig: string;
  try {
    const st = statSync(file);
    sig = `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return [{ severity: 'error', file, keyPath: 'workload.path', message: 'trace file not found' }];
  }
  const hit = checked.get(file);
  if (hit?.sig === sig) return hit.errors;
  const errors = parseSwf(readFileSync(file, 'utf8'), { file }).diagnostics.filter((d) => d.severity === 'error');
  checked.set(file, { sig, errors });
  return errors;
}
