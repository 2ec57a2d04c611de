/**
 * The deduplicated warning summary printed at the end of a run: the same warning from many task
 * instances (one per sweep point and repetition) is listed once, with how many instances said it
 * and the range of the numbers that varied, so a comparison-changing caveat is not lost in the log.
 */
import type { RunEvent } from '../events.js';

/** One distinct warning: its text with varying numbers shown as ranges, and who said it. */
export interface WarningGroup {
  text: string;
  taskIds: string[];
}

const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * Groups texts that differ only in their numbers; a number that varies is shown as `min–max`.
 * Order follows first appearance.
 */
export function dedupeWarnings(items: readonly { text: string; source: string }[]): WarningGroup[] {
  const groups = new Map<string, { texts: string[]; sources: string[] }>();
  for (const { text, source } of items) {
    const key = text.replace(NUMBER, '#');
    const g = groups.get(key) ?? { texts: [], sources: [] };
    g.texts.push(text);
    if (!g.sources.includes(source)) g.sources.push(source);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ text: mergeNumbers(g.texts), taskIds: g.sources }));
}

/** The first text with each number replaced by the range it takes across `texts`. */
function mergeNumbers(texts: readonly string[]): string {
  const first = texts[0] ?? '';
  const columns = texts.map((t) => (t.match(NUMBER) ?? []).map(Number));
  let k = 0;
  return first.replace(NUMBER, (m) => {
    const values = columns.map((c) => c[k]).filter((v): v is number => v !== undefined);
    k++;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return lo === hi ? m : `${lo}–${hi}`;
  });
}

/** Lines of the summary: `warnings (N distinct):` then one line per group, `×count` and examples. */
export function formatWarningSummary(groups: readonly WarningGroup[], maxIds = 3): string[] {
  if (groups.length === 0) return [];
  const lines = [`warnings (${groups.length} distinct, deduplicated):`];
  for (const g of groups) {
    const n = g.taskIds.length;
    const ids = g.taskIds.slice(0, maxIds).join(', ') + (n > maxIds ? `, … ${n - maxIds} more` : '');
    lines.push(`  ${n > 1 ? `${n}× ` : ''}${g.text}`, `      from ${ids}`);
  }
  return lines;
}

/** A sink that remembers warnings, and the summary of what it saw. */
export function warningCollector(): { sink: (e: RunEvent) => void; summary: () => string[] } {
  const seen: { text: string; source: string }[] = [];
  return {
    sink: (e) => {
      if (e.kind === 'task-log' && e.level === 'warn') seen.push({ text: e.message.replace(/^warning:\s*/, ''), source: e.taskId });
    },
    summary: () => formatWarningSummary(dedupeWarnings(seen)),
  };
}
