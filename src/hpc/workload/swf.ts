/**
 * Standard Workload Format import (Parallel Workloads Archive): `;` header comments, then one job
 * per line with 18 whitespace-separated numeric fields, -1 meaning missing.
 *
 * - cores = max(allocated processors (field 5), requested processors (field 8))
 * - walltime = requested time (field 9); a missing estimate becomes the runtime
 * - records whose runtime (field 4) is ≤ 0 or missing are dropped and counted
 * - a job whose runtime exceeds its requested time keeps both: the scheduler kills it at its
 *   limit, as a site that enforces limits would; such jobs are counted as `overruns`
 * - a job wider than `maxCores` (when given) is dropped and counted as `tooWide`
 * - `skip`/`limit` cut a window of usable jobs (after those drops) in file order, as trace studies
 *   count them; submit times are shifted so the window's first job arrives at 0, then all times
 *   are multiplied by `time_scale`
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
  /** Jobs asking for more cores than this are dropped before the window is cut. */
  maxCores?: number;
}

export interface SwfResult {
  jobs: JobSpec[];
  diagnostics: Diagnostic[];
  /** Records of the whole trace dropped for runtime ≤ 0 or no processors. */
  dropped: number;
  /** Jobs of the whole trace dropped for asking more than `maxCores`. */
  tooWide: number;
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
  return { ...toJobs(records.map((r) => r.f), opts), diagnostics, header };
}

function toJobs(rows: number[][], opts: SwfOptions): { jobs: JobSpec[]; dropped: number; tooWide: number; overruns: number } {
  const scale = opts.timeScale ?? 1;
  const usable: number[][] = [];
  let dropped = 0;
  let tooWide = 0;
  for (const f of rows) {
    const runtime = f[3] as number;
    const cores = Math.max(f[4] as number, f[7] as number);
    if (runtime <= 0 || cores <= 0) dropped++;
    else if (opts.maxCores !== undefined && cores > opts.maxCores) tooWide++;
    else usable.push(f);
  }
  const skip = opts.skip ?? 0;
  const window = usable.slice(skip, opts.limit !== undefined ? skip + opts.limit : undefined);
  const jobs: JobSpec[] = [];
  let overruns = 0;
  const t0 = window[0]?.[1] ?? 0;
  for (const f of window) {
    const at = (k: number) => f[k - 1] as number;
    const runtime = at(4);
    const cores = Math.max(at(5), at(8));
    const requested = at(9) > 0 ? at(9) : runtime;
    if (runtime > requested) overruns++;
    const user = opts.usersFromTrace === false ? 'user0' : `u${at(12)}`;
    jobs.push({
      id: at(1), user, submit: (at(2) - t0) * scale, cores, nodes: 0, gpus: 0,
      memoryMiB: cores * (opts.memoryMiBPerCore ?? 1024), runtime: runtime * scale, walltime: requested * scale,
    });
  }
  return { jobs, dropped, tooWide, overruns };
}
