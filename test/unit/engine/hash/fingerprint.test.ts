import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../src/engine/hash/canonical-json.js';
import { explainMiss, fingerprintDigest, fingerprintJson, type Fingerprint } from '../../../../src/engine/hash/fingerprint.js';

const base: Fingerprint = { task: 'a:b', version: '1', config: { scheduler: { bf: 10, x: [1] } }, inputs: { 'a.txt': 'h1' }, deps: { 'd[all]': 'o1' }, rep: null, code: { 'tasks/a.ts': 'c1', 'bench:src/sim/x.ts': 'c2', 'npm:zod': '4.0.0' } };

describe('fingerprint', () => {
  it('is independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(fingerprintDigest({ ...base, config: { scheduler: { x: [1], bf: 10 } } })).toBe(fingerprintDigest(base));
  });

  it('explains a miss by the first differing field, with the exact key path', () => {
    expect(explainMiss(base, { ...base, config: { scheduler: { bf: 50, x: [1] } } })).toEqual({ kind: 'config-changed', keyPath: 'scheduler.bf', old: 10, new: 50 });
    expect(explainMiss(base, { ...base, inputs: { 'a.txt': 'h2' } })).toEqual({ kind: 'input-changed', file: 'a.txt' });
    expect(explainMiss(base, { ...base, deps: { 'd[all]': 'o2' } })).toEqual({ kind: 'dependency-changed', dep: 'd[all]' });
    expect(explainMiss(base, { ...base, version: '2' })).toEqual({ kind: 'version-changed', old: '1', new: '2' });
    expect(explainMiss(base, { ...base })).toBeUndefined();
    // The task's own module is named before the library's and packages, whatever the key order.
    const code = { 'tasks/a.ts': 'c9', 'bench:src/sim/x.ts': 'c8', 'npm:zod': '4.1.0' };
    expect(explainMiss(base, { ...base, code })).toEqual({ kind: 'code-changed', module: 'tasks/a.ts', more: 2 });
    expect(explainMiss(base, { ...base, code: { ...base.code, 'npm:zod': '4.1.0' } })).toEqual({ kind: 'code-changed', module: 'npm:zod', more: 0 });
    const { code: _none, ...unrecorded } = base;
    expect(explainMiss(unrecorded as Fingerprint, base)).toMatchObject({ kind: 'code-changed' });
  });

  it('builds the stored record text exactly as the canonical JSON of the record, config reused or not', () => {
    const cases: Fingerprint[] = [
      base,
      { ...base, rep: 2, deps: { 'z[1]': 'o', 'a[2]': 'p' }, inputs: {} },
      { ...base, task: 'q"uote', version: '1.0-\u00e9', config: { '10': 1, '2': { b: null, a: [undefined, 'x'] }, a: true } },
    ];
    for (const fp of cases) {
      expect(fingerprintJson(fp)).toBe(canonicalJson(fp));
      expect(fingerprintJson({ ...fp, deps: { ...fp.deps, extra: 'e' } })).toBe(canonicalJson({ ...fp, deps: { ...fp.deps, extra: 'e' } }));
    }
  });
});
