/** "Did you mean" for a target that selects nothing: the task names and instance ids closest to it. */
import { levenshtein } from '../config/suggest.js';
import type { TaskGraph } from './task-graph.js';

/**
 * Up to `max` task names or instance ids closest to `spec` by edit distance (case ignored), nearest
 * first. A spec with a `[filter]` is compared with instance ids, a bare name with task names; a
 * candidate that contains the spec (or the spec's name part) counts as close whatever its length.
 */
export function suggestTargets(graph: TaskGraph, spec: string, max = 3): string[] {
  const hasFilter = spec.includes('[');
  const candidates = hasFilter ? graph.order : [...graph.defs.keys()];
  const lower = spec.toLowerCase();
  const limit = Math.max(3, Math.floor(spec.length / 3));
  const scored = candidates.map((c) => ({ c, d: levenshtein(lower, c.toLowerCase()) }));
  const close = scored.filter(({ c, d }) => d <= limit || c.toLowerCase().includes(lower));
  close.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  if (close.length > 0 || !hasFilter) return close.slice(0, max).map((s) => s.c);
  // Nothing near the whole id: suggest instances of the closest task name instead.
  const name = spec.slice(0, spec.indexOf('['));
  const [nearest] = suggestTargets(graph, name, 1);
  return nearest ? graph.order.filter((id) => graph.tasks.get(id)?.name === nearest).slice(0, max) : [];
}

/** `did you mean "a", "b" or "c"?`, or undefined when nothing is close. */
export function didYouMeanTargets(graph: TaskGraph, spec: string): string | undefined {
  const found = suggestTargets(graph, spec).map((s) => `"${s}"`);
  if (found.length === 0) return undefined;
  const list = found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} or ${found.at(-1)}`;
  return `did you mean ${list}?`;
}
