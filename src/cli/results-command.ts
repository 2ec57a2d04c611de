/**
 * `bench results --format csv|json|parquet [--run NAME] [--out DIR]`: exports the tables of one
 * report invocation (`results/latest` unless `--run` names a folder of `results/runs/`): sweep
 * metrics, per-repetition metrics, every run's jobs, host samples of real runs and front
 * membership, for pandas, polars, DuckDB and spreadsheets. Returns an outcome; the CLI entry
 * point prints it and picks the exit status.
 */
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import type { Diagnostic } from '../engine/diagnostic.js';
import { readArrowFile } from '../hpc/results/arrow-file.js';
import { EXPORT_FORMATS, exportTable, type ExportFormat } from '../hpc/results/export-table.js';

/** What `bench results` did. */
export type ResultsOutcome =
  | { kind: 'exported'; format: ExportFormat; files: string[] }
  | { kind: 'invalid'; diagnostics: Diagnostic[] };

interface ResultsArgs {
  format: ExportFormat;
  out: string | undefined;
  run: string | undefined;
}

/** The tables a history folder holds, in export order. */
export const EXPORTED_TABLES = ['metrics', 'rep-metrics', 'jobs', 'hosts', 'scheduler', 'front'] as const;

/** Parses the arguments, collecting every mistake at once. */
export function parseResultsArgs(args: readonly string[]): ResultsArgs | Diagnostic[] {
  const problems: Diagnostic[] = [];
  let format: string | undefined;
  let out: string | undefined;
  let run: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--format' || flag === '--out' || flag === '--run') {
      const value = inline ?? args[++i];
      if (value === undefined) problems.push({ severity: 'error', keyPath: flag, message: 'needs a value' });
      else if (flag === '--format') format = value;
      else if (flag === '--run') run = value;
      else out = value;
    } else {
      problems.push({ severity: 'error', message: `unknown argument ${a}`, expected: '--format csv|json|parquet [--run NAME] [--out DIR]' });
    }
  }
  if (format === undefined) problems.push({ severity: 'error', keyPath: '--format', message: 'is required', expected: EXPORT_FORMATS.join(' | ') });
  else if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    problems.push({ severity: 'error', keyPath: '--format', message: 'unknown format', expected: EXPORT_FORMATS.join(' | '), found: format });
  }
  return problems.length > 0 ? problems : { format: format as ExportFormat, out, run };
}

/** Runs the export from `root` (the project directory). */
export async function runResultsCommand(args: readonly string[], root: string): Promise<ResultsOutcome> {
  const parsed = parseResultsArgs(args);
  if (Array.isArray(parsed)) return { kind: 'invalid', diagnostics: parsed };
  const resultsDir = join(root, 'results');
  // A unique prefix of a folder name is enough.
  const named = parsed.run === undefined ? [] : (await glob('runs/*/metrics.arrow', { cwd: resultsDir })).map((f) => f.split('/')[1] as string).filter((n) => n === parsed.run || n.startsWith(parsed.run as string));
  const source = parsed.run ? join(resultsDir, 'runs', named.length === 1 ? (named[0] as string) : parsed.run) : join(resultsDir, 'latest');
  if (!existsSync(join(source, 'metrics.arrow'))) {
    const known = (await glob('runs/*/report.html', { cwd: resultsDir })).map((f) => f.split('/')[1]);
    return { kind: 'invalid', diagnostics: [{ severity: 'error', file: source, message: parsed.run ? 'no such report run' : 'no sweep results yet', ...(parsed.run && known.length ? { expected: known.join(', ') } : {}), hint: parsed.run ? 'list them with `bench runs`' : 'run `bench report:pareto` first' }] };
  }
  const name = basename(realpathSync(source));
  const outDir = resolve(root, parsed.out ?? join('results', 'export', name));
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const t of EXPORTED_TABLES) {
    const file = join(source, `${t}.arrow`);
    if (!existsSync(file)) continue;
    const target = join(outDir, `${t}.${parsed.format}`);
    await writeFile(target, await exportTable(await readArrowFile(file), parsed.format));
    files.push(relative(root, target) || target);
  }
  return { kind: 'exported', format: parsed.format, files };
}
