/**
 * `--dry-run` output: a count table per task name and action first (what a sweep costs at a
 * glance, as Snakemake's job stats), then one line per planned task with its reason, then the
 * totals. Reasons that carry long values (a list of 81 point ids) are cut to their first few
 * items and a count, so no line runs to kilobytes.
 */
import { formatReason, type Reason } from '../hash/fingerprint.js';
import type { TaskGraph } from '../graph/task-graph.js';
import type { Plan, PlanAction, PlannedTask } from '../runner/plan.js';

/** Items of a list value shown before "and N more". */
const LIST_HEAD = 3;
/** A reason longer than this (in characters) is cut. */
const MAX_REASON = 160;
const ACTIONS: readonly PlanAction[] = ['run', 'skip', 'restore', 'resource'];
/** Columns shown: `restore` only when some task restores, so the common table stays as it was. */
function shownActions(total: Record<PlanAction, number>): PlanAction[] {
  return ACTIONS.filter((a) => a !== 'restore' || total.restore > 0);
}

/** The full dry-run text: count table, details, totals. */
export function renderPlan(graph: TaskGraph, plan: Plan): string {
  // Most tasks of a large sweep are up to date: their reason's text is made once, not per task.
  const upToDate = briefReason({ kind: 'up-to-date' });
  const details = plan.tasks.map((p) =>
    `${p.action.padEnd(8)} ${p.id}  ${p.action === 'resource' ? 'brought up if a dependent runs' : p.reason.kind === 'up-to-date' ? upToDate : p.action === 'restore' ? restoreReason(p) : briefReason(p.reason)}`);
  const c = countActions(plan);
  const restore = c.restore ? `${c.restore} to restore from history, ` : '';
  return `${renderPlanStats(graph, plan)}\n${details.join('\n')}\n\n${c.run} to run, ${restore}${c.skip} up to date, ${c.resource} resources\n`;
}

/** Why a restore does not run: what changed since the latest commit, and the earlier commit that fits. */
function restoreReason(p: PlannedTask): string {
  const when = p.restored ? new Date(p.restored.finishedAt).toISOString() : 'before';
  return `${briefReason(p.reason)}; the same fingerprint was committed at ${when}: its output is taken back, not run`;
}

function countActions(plan: Plan): Record<PlanAction, number> {
  const counts = { run: 0, skip: 0, restore: 0, resource: 0 };
  for (const p of plan.tasks) counts[p.action]++;
  return counts;
}

/**
 * Count table: one row per task name (in plan order) with how many instances run, are up to date
 * or are resources, and the reasons the runs have, most frequent first; a total row last.
 */
export function renderPlanStats(graph: TaskGraph, plan: Plan): string {
  // `why` is made only for names with runs: a no-op sweep may have one row per task.
  const rows = new Map<string, { counts: Record<PlanAction, number>; why: Map<string, number> | undefined }>();
  for (const p of plan.tasks) {
    const name = graph.tasks.get(p.id)?.name ?? p.id;
    let row = rows.get(name);
    if (!row) rows.set(name, (row = { counts: { run: 0, skip: 0, restore: 0, resource: 0 }, why: undefined }));
    row.counts[p.action]++;
    if (p.action === 'run') (row.why ??= new Map()).set(p.reason.kind, (row.why.get(p.reason.kind) ?? 0) + 1);
  }
  const total = countActions(plan);
  const shown = shownActions(total);
  const table: string[][] = [['task', ...shown, 'total', 'why (runs)']];
  for (const [name, r] of rows) {
    const why = [...(r.why ?? [])].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    table.push([name, ...shown.map((a) => String(r.counts[a])), String(sum(r.counts)), why]);
  }
  table.push(['total', ...shown.map((a) => String(total[a])), String(sum(total)), '']);
  // A loop, not Math.max(...column): a column of 10^5 cells is too many arguments for a call.
  const widths = (table[0] as string[]).map(() => 0);
  for (const row of table) for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] as number, (row[i] as string).length);
  const line = (row: string[]): string =>
    row.map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return `${table.map(line).join('\n')}\n`;
}

function sum(counts: Record<PlanAction, number>): number {
  return counts.run + counts.skip + counts.restore + counts.resource;
}

/**
 * A reason as one readable line: list values become their first items and "and N more" (with
 * what was added and removed when both sides are lists); anything else still too long is cut.
 */
export function briefReason(r: Reason): string {
  if (r.kind !== 'config-changed') return cut(formatReason(r));
  const { old: a, new: b } = r;
  if (Array.isArray(a) && Array.isArray(b)) {
    const before = new Set(a.map((v) => JSON.stringify(v)));
    const after = new Set(b.map((v) => JSON.stringify(v)));
    const removed = a.filter((v) => !after.has(JSON.stringify(v)));
    const added = b.filter((v) => !before.has(JSON.stringify(v)));
    const change = [removed.length ? `removed ${briefList(removed)}` : '', added.length ? `added ${briefList(added)}` : ''].filter(Boolean).join('; ');
    return cut(`config-changed: ${r.keyPath} ${a.length} items → ${b.length} items${change ? ` (${change})` : ' (reordered)'}`);
  }
  return cut(`config-changed: ${r.keyPath} ${briefValue(a)} → ${briefValue(b)}`);
}

/** `a, b, c and 24 more`. */
export function briefList(items: readonly unknown[]): string {
  const head = items.slice(0, LIST_HEAD).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return items.length > LIST_HEAD ? `${head.join(', ')} and ${items.length - LIST_HEAD} more` : head.join(', ');
}

function briefValue(v: unknown): string {
  if (v === undefined) return 'unset';
  if (Array.isArray(v) && v.length > LIST_HEAD) return `[${briefList(v)}]`;
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function cut(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}… (${text.length - MAX_REASON + 1} more characters)` : text;
}
