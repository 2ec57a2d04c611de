import type { Diagnostic } from '../diagnostic.js';
import { formatDiagnostic } from '../diagnostic.js';
import type { Assignment } from './sweep-axes.js';

/** The mistakes found while composing one sweep point. */
export interface PointDiagnostics {
  stem: string;
  /** The sweep's assignments that made the point. */
  combo: Assignment[];
  diagnostics: Diagnostic[];
}

// A key that exists in no point and one that is a typo in some: both say the key is not there.
const MISSING_KEY = /\bunknown\b.*\bkey\b|\bno such key\b/;

/**
 * One diagnostic per problem across a sweep. A mistake found at every point is reported once;
 * one found at some points only says at which (`backend=b,c`, or the point ids), since a key
 * valid under one group option may be unknown under another. Reports that a key does not exist,
 * made at one place by different checks (a key list, a closed object, the override rule), are
 * one problem: the one with a hint is kept.
 */
export function mergePointDiagnostics(shared: Diagnostic[], points: PointDiagnostics[]): Diagnostic[] {
  const groups = new Map<string, { diag: Diagnostic; stems: Set<string> }>();
  const add = (d: Diagnostic, stem: string | undefined) => {
    const place = `${d.severity}|${d.file ?? ''}|${d.line ?? ''}|${d.column ?? ''}|${d.keyPath ?? ''}`;
    const key = `${place}|${MISSING_KEY.test(d.message) ? 'missing-key' : formatDiagnostic(d)}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { diag: d, stems: new Set(stem === undefined ? [] : [stem]) });
    else {
      if (!g.diag.hint && d.hint) g.diag = d;
      if (stem !== undefined) g.stems.add(stem);
    }
  };
  for (const d of shared) add(d, undefined);
  for (const p of points) for (const d of p.diagnostics) add(d, p.stem);
  const all = points.map((p) => p.stem);
  return [...groups.values()].map(({ diag, stems }) => {
    if (stems.size === 0 || stems.size === all.length) return diag;
    return { ...diag, message: `${diag.message} (at ${describePoints(stems, points)})` };
  });
}

/** `group=b,c` when the sweep's values say exactly which points; else their ids. */
export function describePoints(stems: Set<string>, points: PointDiagnostics[]): string {
  const keys = [...new Set(points.flatMap((p) => p.combo.map((a) => a.key)))];
  const valueOf = (p: PointDiagnostics, k: string) => JSON.stringify(p.combo.find((a) => a.key === k)?.value ?? null);
  const conditions: { key: string; values: Set<string> }[] = [];
  for (const key of keys) {
    const hit = new Set(points.filter((p) => stems.has(p.stem)).map((p) => valueOf(p, key)));
    const every = new Set(points.map((p) => valueOf(p, key)));
    if (hit.size < every.size) conditions.push({ key, values: hit });
  }
  const matches = points.filter((p) => conditions.every((c) => c.values.has(valueOf(p, c.key))));
  if (conditions.length > 0 && matches.length === stems.size) {
    const show = (v: string) => { const x = JSON.parse(v) as unknown; return typeof x === 'string' ? x : v; };
    return `the points with ${conditions.map((c) => `${c.key}=${[...c.values].map(show).join(',')}`).join(' ')}`;
  }
  const ids = [...stems];
  return `${ids.length} of ${points.length} points: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''}`;
}
