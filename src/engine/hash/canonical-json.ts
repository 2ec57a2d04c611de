/** Canonical JSON (sorted keys, no undefined) and sha256 digests: the basis of every fingerprint. */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted recursively, so equal values always give equal text. Written
 * straight to a string (no sorted copy of the value): the no-op check hashes every task's record.
 * Same text as `JSON.stringify` of a key-sorted copy (which existing cache digests were made with): undefined members are dropped, undefined
 * or function array items become null, objects contribute their own enumerable keys.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/**
 * Keys in the order `JSON.stringify` of a key-sorted copy emits them: array-index-like keys
 * ('2', '10') always come first in numeric order — `Object.keys` already lists them so — then the
 * others sorted.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  let i = 0;
  while (i < keys.length && isIndexKey(keys[i] as string)) i++;
  if (i === 0) return keys.sort();
  return keys.slice(0, i).concat(keys.slice(i).sort());
}

function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': return JSON.stringify(value);
    case 'number': return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean': return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) s += `${i ? ',' : ''}${write(value[i]) ?? 'null'}`;
        return `${s}]`;
      }
      const keys = sortedKeys(value);
      let s = '{';
      for (const key of keys) {
        const w = write((value as Record<string, unknown>)[key]);
        if (w === undefined) continue;
        s += `${s.length > 1 ? ',' : ''}${JSON.stringify(key)}:${w}`;
      }
      return `${s}}`;
    }
    default: return undefined;
  }
}

/** Hex sha256 of a string or buffer. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads a dotted key path (`scheduler.SchedulerParameters`) from a config object. */
export function getKeyPath(config: Record<string, unknown>, path: string): unknown {
  let cur: unknown = config;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
