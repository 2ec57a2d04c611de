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

/** One readable part of a point id and the config key it names (a group, or a swept key path). */
export interface PointIdPart {
  key: string;
  text: string;
}

/**
 * The readable parts of a point id: the chosen option of every group in `named` plus every swept
 * group, in defaults order, then swept keys as `name=value` using the key's last segment (its
 * full path when two swept keys share it). Groups come first so that the same configuration has
 * the same name whatever was swept.
 */
export function pointIdParts(opts: { assignments: Assignment[]; groupOrder: string[]; named: Record<string, string> }): PointIdPart[] {
  const { assignments, groupOrder, named } = opts;
  const groups = new Map(Object.entries(named));
  for (const a of assignments) if (groupOrder.includes(a.key)) groups.set(a.key, String(a.value));
  const order = (k: string) => (groupOrder.includes(k) ? groupOrder.indexOf(k) : groupOrder.length);
  const groupParts = [...groups].sort((a, b) => order(a[0]) - order(b[0])).map(([key, v]) => ({ key, text: clean(v) }));
  const keys = assignments.filter((a) => !groupOrder.includes(a.key));
  const last = (k: string) => k.split('.').pop() ?? k;
  const label = (k: string) => (keys.filter((o) => last(o.key) === last(k)).length > 1 ? k : last(k));
  const keyParts = keys.map((a) => ({ key: a.key, text: `${label(a.key)}=${clean(typeof a.value === 'string' ? a.value : JSON.stringify(a.value))}` }));
  return [...groupParts, ...keyParts];
}

/** The id stem of a point from its parts; `default` only when there is nothing to name. The caller appends `-r<rep>`. */
export function pointIdStem(parts: PointIdPart[]): string {
  return parts.length > 0 ? parts.map((p) => p.text).join('-') : 'default';
}

function clean(s: string): string {
  return s.replace(/[^\w.=+]/g, '_');
}
