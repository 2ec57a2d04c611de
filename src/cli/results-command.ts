/**
 * `bench results --format csv|json|parquet [--out DIR]`: exports the sweep's `results/metrics.arrow`
 * and every per-run table under `results/runs/` for pandas and spreadsheet users. Returns an outcome;
 * the CLI entry point prints it and picks the exit status.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
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
}

/** Parses the arguments, collecting every mistake at once. */
export function parseResultsArgs(args: readonly string[]): ResultsArgs | Diagnostic[] {
  const problems: Diagnostic[] = [];
  let format: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--format' || flag === '--out') {
      const value = inline ?? args[++i];
      if (value === undefined) problems.push({ severity: 'error', keyPath: flag, message: 'needs a value' });
      else if (flag === '--format') format = value;
      else out = value;
    } else {
      problems.push({ severity: 'error', message: `unknown argument ${a}`, expected: '--format csv|json|parquet [--out DIR]' });
    }
  }
  if (format === undefined) problems.push({ severity: 'error', keyPath: '--format', message: 'is required', expected: EXPORT_FORMATS.join(' | ') });
  else if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    problems.push({ severity: 'error', keyPath: '--format', message: 'unknown format', expected: EXPORT_FORMATS.join(' | '), found: format });
  }
  return problems.length > 0 ? problems : { format: format as ExportFormat, out };
}

/** Runs the export from `root` (the project directory). */
export async function runResultsCommand(args: readonly string[], root: string): Promise<ResultsOutcome> {
  const parsed = parseResultsArgs(args);
  if (Array.isArray(parsed)) return { kind: 'invalid', diagnostics: parsed };
  const resultsDir = join(root, 'results');
  const metrics = join(resultsDir, 'metrics.arrow');
  if (!existsSync(metrics)) {
    return { kind: 'invalid', diagnostics: [{ severity: 'error', file: metrics, message: 'no sweep results yet', hint: 'run `bench report:pareto` first' }] };
  }
  const outDir = resolve(root, parsed.out ?? join('results', 'export'));
  const runs = await glob('runs/**/*.arrow', { cwd: resultsDir });
  const files: string[] = [];
  for (const rel of ['metrics.arrow', ...runs.sort()]) {
    const table = await readArrowFile(join(resultsDir, rel));
    const target = join(outDir, rel.replace(/\.arrow$/, `.${parsed.format}`));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await exportTable(table, parsed.format));
    files.push(relative(root, target) || target);
  }
  return { kind: 'exported', format: parsed.format, files };
}
