import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../src/engine/hash/canonical-json.js';

/** The reference: JSON.stringify of a key-sorted copy. Cache digests depend on the exact text. */
function reference(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sort(x)));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value)) ?? 'null';
}

function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.35) {
    const leaves: unknown[] = [null, undefined, true, false, 0, -0, 1.5e300, -7, 0.1 + 0.2, NaN, Infinity, 1e21, 'a"b\\c', 'é\u2028\n', '', () => 1];
    return leaves[Math.floor(rnd() * leaves.length)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--) o[['b', 'a', 'Z', '10', '2', 'k"q', ''][Math.floor(rnd() * 7)] as string] = randomValue(rnd, depth + 1);
  return o;
}

describe('canonicalJson', () => {
  it('sorts keys recursively and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, undefined], c: undefined } })).toBe('{"a":{"d":[3,null]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('gives exactly the text of JSON.stringify over a key-sorted copy, on 5000 random values', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(rnd, 0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });
});
