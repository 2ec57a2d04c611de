import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from '../diagnostic.js';

/**
 * A parsed command-line override, Hydra style:
 * - `key=value` sets a key that exists (or picks a group option: `db=postgres`);
 * - `+key=value` adds a key that does not exist yet; `++key=value` sets it either way;
 * - `~key` (or `~key=value`) removes it;
 * - `key=a,b,c`, `key=choice(a,b,c)` and `key=range(start,stop[,step])` sweep it (cartesian product
 *   with other sweeps);
 * - `zip(a=1,2;b=x,y)` sweeps several keys in lockstep: (a=1,b=x), (a=2,b=y).
 * Values are typed as YAML types them (`10` is a number, `"10"` stays a string).
 */
export type Override =
  | { kind: 'set'; key: string; value: unknown; mode: 'set' | 'add' | 'force'; text: string }
  | { kind: 'remove'; key: string; text: string }
  | { kind: 'sweep'; key: string; values: unknown[]; text: string }
  | { kind: 'zip'; params: { key: string; values: unknown[] }[]; text: string };

const KEY = /^[A-Za-z_][\w-]*(\.[\w-]+)*$/;

/** Parses every override; malformed ones become diagnostics and are left out. */
export function parseOverrides(texts: string[], diagnostics: Diagnostic[]): Override[] {
  const out: Override[] = [];
  for (const text of texts) {
    const o = parseOverride(text);
    if (typeof o === 'string') {
      diagnostics.push({ severity: 'error', message: `bad override "${text}": ${o}`, file: 'command line' });
    } else out.push(o);
  }
  return out;
}

function parseOverride(text: string): Override | string {
  const zip = /^zip\((.*)\)$/s.exec(text);
  if (zip) return parseZip(zip[1] ?? '', text);
  if (text.startsWith('~')) {
    const key = text.slice(1).split('=')[0] ?? '';
    return KEY.test(key) ? { kind: 'remove', key, text } : `"${key}" is not a key path`;
  }
  const mode = text.startsWith('++') ? 'force' : text.startsWith('+') ? 'add' : 'set';
  const body = text.slice(mode === 'force' ? 2 : mode === 'add' ? 1 : 0);
  const eq = body.indexOf('=');
  if (eq < 0) return 'expected key=value';
  const key = body.slice(0, eq);
  if (!KEY.test(key)) return `"${key}" is not a key path`;
  const values = parseValues(body.slice(eq + 1));
  if (typeof values === 'string') return values;
  if (values.sweep) {
    if (mode !== 'set') return 'a sweep cannot be combined with + or ++';
    return { kind: 'sweep', key, values: values.list, text };
  }
  return { kind: 'set', key, value: values.list[0], mode, text };
}

function parseZip(inner: string, text: string): Override | string {
  const params: { key: string; values: unknown[] }[] = [];
  for (const part of inner.split(';')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    if (eq < 0 || !KEY.test(key)) return 'zip(...) takes key=v1,v2 parts separated by ";"';
    const v = parseValues(part.slice(eq + 1));
    if (typeof v === 'string') return v;
    params.push({ key, values: v.list });
  }
  const n = params[0]?.values.length ?? 0;
  if (params.some((p) => p.values.length !== n)) return 'zip(...) lists must have the same length';
  return { kind: 'zip', params, text };
}

/** A value, a comma list or choice(...) (sweep) or range(start,stop[,step]) (sweep, stop excluded as in Python). */
export function parseValues(raw: string): { sweep: boolean; list: unknown[] } | string {
  const range = /^range\(([^)]*)\)$/.exec(raw.trim());
  if (range) {
    const nums = (range[1] ?? '').split(',').map((s) => Number(s.trim()));
    if (nums.length < 1 || nums.length > 3 || nums.some((n) => !Number.isFinite(n))) return 'range() takes 1 to 3 numbers';
    const [a, b, step = 1] = nums.length === 1 ? [0, nums[0] as number] : nums;
    if (step === 0) return 'range() step must not be 0';
    const list: number[] = [];
    for (let x = a as number; step > 0 ? x < (b as number) : x > (b as number); x += step) list.push(x);
    return { sweep: true, list };
  }
  const choice = /^choice\((.*)\)$/s.exec(raw.trim());
  if (choice) return { sweep: true, list: splitTopLevel(choice[1] ?? '').map((p) => typeValue(p.trim())) };
  const parts = splitTopLevel(raw);
  const list = parts.map(typeValue);
  return { sweep: parts.length > 1, list };
}

function typeValue(s: string): unknown {
  try {
    return parseYaml(s) as unknown;
  } catch {
    return s;
  }
}

/** Splits on commas outside quotes, brackets and braces. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{' || ch === '(') depth++;
    else if (ch === ']' || ch === '}' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}
