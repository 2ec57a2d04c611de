/**
 * The history of report invocations: one folder per invocation that produced a report,
 * `results/runs/<time>-<sweep>/` with `report.html`, `front.txt`, `metrics.arrow` and `run.json`
 * (when, the command, the sweep, front sizes), and `results/latest` pointing at the newest. A
 * folder is never reused or overwritten; a no-op run writes nothing, since its report task does
 * not run.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** What `run.json` of a history folder records. */
export interface HistoryMeta {
  /** Folder name, `<time>-<sweep>`. */
  name: string;
  /** ISO time of the invocation. */
  date: string;
  command: string;
  /** Short sweep label the folder is named after. */
  sweep: string;
  points: number;
  runs: number;
  onFront: number;
  groups: string[];
}

/** Short, path-safe label of a sweep: its fixed overrides, then the keys it sweeps. */
export function sweepLabel(overridesPerPoint: readonly (readonly string[])[]): string {
  const all = overridesPerPoint.map((o) => new Set(o));
  const first = overridesPerPoint[0] ?? [];
  const common = first.filter((o) => all.every((s) => s.has(o)));
  const varying = [...new Set(overridesPerPoint.flat().filter((o) => !common.includes(o)).map((o) => o.replace(/^[+~]*/, '').split('=')[0] ?? o))];
  const parts = [...common, ...(varying.length ? [`sweep-${varying.join('+')}`] : [])];
  const label = (parts.join('_') || 'single-point').replace(/[^\w.=+-]/g, '_');
  return label.length > 60 ? label.slice(0, 60) : label;
}

/** `2026-12-02T12-06-31Z`: sortable and path-safe. */
// Milliseconds kept: two invocations in one second must still sort by time, not by sweep name.
function stamp(d: Date): string {
  return d.toISOString().replace(/:/g, '-');
}

/** Copies `files` (name -> path) into a new history folder, writes its `run.json`, points `latest` at it. */
export function recordInvocation(o: { resultsDir: string; date: Date; sweep: string; files: Record<string, string>; meta: Omit<HistoryMeta, 'name' | 'date' | 'sweep'> }): string {
  const runsDir = join(o.resultsDir, 'runs');
  mkdirSync(runsDir, { recursive: true });
  const base = `${stamp(o.date)}-${o.sweep}`;
  let name = base;
  for (let n = 2; existsSync(join(runsDir, name)); n++) name = `${base}-${n}`;
  // Built under a temp name and renamed, so a listed folder is always complete.
  const tmp = join(runsDir, `.${name}.tmp-${process.pid}`);
  mkdirSync(tmp);
  for (const [file, src] of Object.entries(o.files)) if (existsSync(src)) copyFileSync(src, join(tmp, file));
  const meta: HistoryMeta = { name, date: o.date.toISOString(), sweep: o.sweep, ...o.meta };
  writeFileSync(join(tmp, 'run.json'), `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(tmp, join(runsDir, name));
  const link = join(o.resultsDir, 'latest');
  const linkTmp = `${link}.tmp-${process.pid}`;
  if (isLink(linkTmp)) unlinkSync(linkTmp);
  symlinkSync(join('runs', name), linkTmp);
  renameSync(linkTmp, link);
  return join(runsDir, name);
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** History folders, oldest first; folders without a readable `run.json` are listed with what is known. */
export function listHistory(resultsDir: string): HistoryMeta[] {
  const runsDir = join(resultsDir, 'runs');
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(runsDir, d.name, 'report.html')))
    .map((d) => readMeta(join(runsDir, d.name)))
    .sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
}

function readMeta(dir: string): HistoryMeta {
  try {
    return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as HistoryMeta;
  } catch {
    return { name: basename(dir), date: '', command: '', sweep: '', points: 0, runs: 0, onFront: 0, groups: [] };
  }
}
