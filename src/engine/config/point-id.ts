import { canonicalJson, sha256Hex } from '../hash/canonical-json.js';
import type { Assignment } from './sweep-axes.js';

/** sha256 (hex) of the canonical JSON of a config: the same digest the engine uses everywhere. */
export function hashConfig(config: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(config));
}

/** How an assignment is written back as an override: `db=postgres`, `seed=3`. */
export function assignmentText(a: Assignment): string {
  return `${a.key}=${typeof a.value === 'string' ? a.value : JSON.stringify(a.value)}`;
}

/**
 * The readable id stem of a point: swept group options in defaults order, then swept keys as
 * `name=value` using the key's last segment (its full path when two swept keys share it).
 * `default` when nothing is swept. The caller appends `-r<rep>`.
 */
export function pointIdStem(assignments: Assignment[], groupOrder: string[]): string {
  const groups = assignments.filter((a) => groupOrder.includes(a.key));
  groups.sort((a, b) => groupOrder.indexOf(a.key) - groupOrder.indexOf(b.key));
  const keys = assignments.filter((a) => !groupOrder.includes(a.key));
  const last = (k: string) => k.split('.').pop() ?? k;
  const label = (k: string) => (keys.filter((o) => last(o.key) === last(k)).length > 1 ? k : last(k));
  const parts = [
    ...groups.map((a) => clean(String(a.value))),
    ...keys.map((a) => `${label(a.key)}=${clean(typeof a.value === 'string' ? a.value : JSON.stringify(a.value))}`),
  ];
  return parts.length > 0 ? parts.join('-') : 'default';
}

function clean(s: string): string {
  return s.replace(/[^\w.=+]/g, '_');
}
