/**
 * Standard Workload Format import (Parallel Workloads Archive): `;` header comments, then one job
 * per line with 18 whitespace-separated numeric fields, -1 meaning missing.
 *
 * - cores = max(allocated processors (field 5), requested processors (field 8))
 * - walltime = requested time (field 9); a missing estimate becomes the runtime
 * - records whose runtime (field 4) is ≤ 0 or missing are dropped and counted
 * - a job whose runtime exceeds its requested time keeps both: the scheduler kills it at its
 *   limit, as a site that enforces limits would; such jobs are counted as `overruns`
 * - `skip`/`limit` cut a window of records in file order; submit times are shifted so the first
 *   kept job arrives at 0, then all times are multiplied by `time_scale`
 */
import type { Diagnostic } from '../../engine/diagnostic.js';
import type { JobSpec } from './job.js';

export interface SwfOptions {
  file: string;
  skip?: number;
  limit?: number;
  timeScale?: number;
  usersFromTrace?: boolean;
  /** Memory given to each job per core, MiB (SWF memory fields are mostly missing). */
  memoryMiBPerCore?: number;
}

export interface SwfResult {
  jobs: JobSpec[];
  diagnostics: Diagnostic[];
  dropped: number;
  overruns: number;
  /** `MaxProcs`/`MaxNodes` from the header, when present. */
  header: Record<string, string>;
}

/** Parses SWF text; every malformed line is reported with its line number, all at once. */
export function parseSwf(text: string, opts: SwfOptions): SwfResult {
  const diagnostics: Diagnostic[] = [];
  const header: Record<string, string> = {};
  const records: { line: number; f: number[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '') continue;
    if (raw.startsWith(';')) {
      const m = /^;\s*([A-Za-z]+):\s*(.*)$/.exec(raw);
      if (m?.[1] && m[2] !== undefined) header[m[1]] = m[2].trim();
      continue;
    }
    const parts = raw.split(/\s+/);
    const f = parts.map(Number);
    const bad = parts.findIndex((p, k) => !Number.isFinite(f[k]) || p === '');
    if (parts.length !== 18 || bad >= 0) {
      diagnostics.push({
        severity: 'error', file: opts.file, line: i + 1, message: 'malformed SWF record',
        expected: '18 numeric fields', found: parts.length !== 18 ? `${parts.length} fields` : `"${parts[bad]}" in field ${bad + 1}`,
      });
      continue;
    }
    records.push({ line: i + 1, f });
  }
  const window = records.slice(opts.skip ?? 0, opts.limit !== undefined ? (opts.skip ?? 0) + opts.limit : undefined);
  return { ...toJobs(window.map((r) => r.f), opts), diagnostics, header };
}

function toJobs(rows: number[][], opts: SwfOptions): { jobs: JobSpec[]; dropped: number; overruns: number } {
  const scale = opts.timeScale ?? 1;
  const jobs: JobSpec[] = [];
  let dropped = 0;
  let overruns = 0;
  let t0: number | undefined;
  for (const f of rows) {
    const at = (k: number) => f[k - 1] as number;
    const runtime = at(4);
    const cores = Math.max(at(5), at(8));
    if (runtime <= 0 || cores <= 0) {
      dropped++;
      continue;
    }
    const requested = at(9) > 0 ? at(9) : runtime;
    if (runtime > requested) overruns++;
    t0 ??= at(2);
    const user = opts.usersFromTrace === false ? 'user0' : `u${at(12)}`;
    jobs.push({
      id: at(1), user, submit: (at(2) - t0) * scale, cores, nodes: 0, gpus: 0,
      memoryMiB: cores * (opts.memoryMiBPerCore ?? 1024), runtime: runtime * scale, walltime: requested * scale,
    });
  }
  return { jobs, dropped, overruns };
}
