/**
 * `bench runs` lists the report invocations kept under `results/runs/` (newest last, `*` marks
 * `results/latest`); `bench compare A B` shows two of them side by side: per point, the rank in
 * its group and the main metrics of each, with the change. A and B are folder names, unique
 * prefixes of them, or `latest`.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Diagnostic } from '../engine/diagnostic.js';
import { formatMeanCi } from '../hpc/report/escape-html.js';
import { readArrowFile } from '../hpc/results/arrow-file.js';
import { tableToSweepMetrics, type SweepMetricsRow } from '../hpc/results/metrics-table.js';
import { listHistory, type HistoryMeta } from '../hpc/results/run-history.js';

/** What a history command printed, or why it could not. */
export type HistoryOutcome = { kind: 'ok'; stdout: string } | { kind: 'invalid'; diagnostics: Diagnostic[] };

const METRICS = ['makespan', 'node_hours', 'bsld_mean', 'utilization', 'fairness'];

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function latestName(resultsDir: string): string | undefined {
  try {
    return basename(readlinkSync(join(resultsDir, 'latest')));
  } catch {
    return undefined;
  }
}

/** `bench runs`. */
export function runsCommand(root: string): HistoryOutcome {
  const resultsDir = join(root, 'results');
  const runs = listHistory(resultsDir);
  if (runs.length === 0) return { kind: 'ok', stdout: 'No report runs yet (results/runs/ is empty); `bench report:pareto` makes one.\n' };
  const latest = latestName(resultsDir);
  const rows = runs.map((r) => [`${r.name === latest ? '*' : ' '} ${r.name}`, String(r.points), String(r.runs), String(r.onFront), r.command]);
  return { kind: 'ok', stdout: `${table(['  run', 'points', 'runs', 'on front', 'command'], rows)}\n* = results/latest\n` };
}

function resolveRun(resultsDir: string, runs: HistoryMeta[], name: string): HistoryMeta | Diagnostic {
  const wanted = name === 'latest' ? latestName(resultsDir) ?? '' : name;
  const exact = runs.find((r) => r.name === wanted);
  const hits = exact ? [exact] : runs.filter((r) => r.name.startsWith(wanted));
  if (hits.length === 1) return hits[0] as HistoryMeta;
  return { severity: 'error', keyPath: name, message: hits.length ? 'matches more than one run' : 'no such run', expected: (hits.length ? hits : runs).map((r) => r.name).join(', ') || 'a run under results/runs/', hint: 'list them with `bench runs`' };
}

async function load(resultsDir: string, run: HistoryMeta): Promise<{ rows: Map<string, SweepMetricsRow>; rank: Map<string, number> }> {
  const dir = join(resultsDir, 'runs', run.name);
  const rows = new Map(tableToSweepMetrics(await readArrowFile(join(dir, 'metrics.arrow'))).map((r) => [r.pointId, r]));
  const rank = new Map<string, number>();
  if (existsSync(join(dir, 'front.arrow'))) {
    for (const row of await readArrowFile(join(dir, 'front.arrow'))) {
      const r = row.toJSON() as Record<string, unknown>;
      rank.set(String(r['point_id']), Number(r['rank']));
    }
  }
  return { rows, rank };
}

/** `bench compare A B`. */
export async function compareCommand(args: readonly string[], root: string): Promise<HistoryOutcome> {
  const resultsDir = join(root, 'results');
  const runs = listHistory(resultsDir);
  const names = args.filter((a) => !a.startsWith('-'));
  if (names.length !== 2) return { kind: 'invalid', diagnostics: [{ severity: 'error', message: `compare takes two runs, got ${names.length}`, expected: 'bench compare A B (names from `bench runs`, or latest)' }] };
  const picked = names.map((n) => resolveRun(resultsDir, runs, n));
  const problems = picked.filter((p): p is Diagnostic => 'severity' in p);
  if (problems.length) return { kind: 'invalid', diagnostics: problems };
  const [a, b] = picked as [HistoryMeta, HistoryMeta];
  const [la, lb] = await Promise.all([load(resultsDir, a), load(resultsDir, b)]);
  const ids = [...new Set([...la.rows.keys(), ...lb.rows.keys()])];
  const metrics = METRICS.filter((m) => ids.some((id) => la.rows.get(id)?.metrics[m] || lb.rows.get(id)?.metrics[m]));
  const cellOf = (r: SweepMetricsRow | undefined, m: string): string => (r?.metrics[m] ? formatMeanCi(r.metrics[m]) : '—');
  const change = (x: SweepMetricsRow | undefined, y: SweepMetricsRow | undefined, m: string): string => {
    const u = x?.metrics[m]?.mean;
    const v = y?.metrics[m]?.mean;
    return u && v !== undefined ? `${v >= u ? '+' : ''}${(((v - u) / u) * 100).toFixed(1)}%` : '';
  };
  const rows = ids.map((id) => {
    const x = la.rows.get(id);
    const y = lb.rows.get(id);
    return [id, String(la.rank.get(id) ?? '—'), String(lb.rank.get(id) ?? '—'), ...metrics.flatMap((m) => [cellOf(x, m), cellOf(y, m), change(x, y, m)])];
  });
  const head = ['point', 'rank A', 'rank B', ...metrics.flatMap((m) => [`${m} A`, `${m} B`, 'Δ'])];
  return { kind: 'ok', stdout: `A = ${a.name} (${a.command})\nB = ${b.name} (${b.command})\n${table(head, rows)}\nrank: within the point's group, 1 = on the front; — = not in that run\n` };
}
