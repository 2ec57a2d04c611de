import { describe, expect, it } from 'vitest';
import { markFirstFront } from '../../../../src/hpc/pareto/first-front.js';
import { rankPoints, type Objective } from '../../../../src/hpc/pareto/rank-points.js';

const minMin: Objective[] = [
  { metric: 'a', direction: 'min' },
  { metric: 'b', direction: 'min' },
];

function dominates(p: number[], q: number[]): boolean {
  return p.every((v, k) => v <= (q[k] as number)) && p.some((v, k) => v < (q[k] as number));
}

/** Quadratic reference: a point is on the front when nobody dominates it. */
function bruteFront(points: number[][]): number[] {
  return points.map((p) => (points.some((q) => dominates(q, p)) ? 0 : 1));
}

/** Deterministic pseudo-random integers in [0, m) so ties and duplicates are common. */
function lcg(seed: number): (m: number) => number {
  let s = seed >>> 0;
  return (m) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % m;
  };
}

describe('rankPoints', () => {
  it('ranks a hand-made set into successive fronts', () => {
    const rows = [
      { a: 1, b: 5 }, // front
      { a: 2, b: 2 }, // front
      { a: 5, b: 1 }, // front
      { a: 3, b: 3 }, // dominated by (2,2)
      { a: 6, b: 6 }, // dominated by everything above
    ];
    const r = rankPoints(rows, minMin);
    expect(Array.from(r.rank)).toEqual([1, 1, 1, 2, 3]);
    expect(r.crowding[0]).toBe(Infinity);
    expect(r.crowding[2]).toBe(Infinity);
    // Middle point: gaps (5-1)/(5-1) in a and (5-1)/(5-1) in b.
    expect(r.crowding[1]).toBeCloseTo(2);
  });

  it('puts duplicates on the same rank, both on the front', () => {
    const rows = [{ a: 1, b: 2 }, { a: 1, b: 2 }, { a: 2, b: 1 }, { a: 2, b: 2 }];
    expect(Array.from(rankPoints(rows, minMin).rank)).toEqual([1, 1, 1, 2]);
  });

  it('puts all-equal points on one front', () => {
    const rows = Array.from({ length: 4 }, () => ({ a: 3, b: 3 }));
    const r = rankPoints(rows, minMin);
    expect(Array.from(r.rank)).toEqual([1, 1, 1, 1]);
    expect(r.crowding.every((c) => !Number.isNaN(c))).toBe(true);
  });

  it('ranks a single point first with infinite crowding', () => {
    const r = rankPoints([{ a: 1, b: 1 }], minMin);
    expect(Array.from(r.rank)).toEqual([1]);
    expect(r.crowding[0]).toBe(Infinity);
  });

  it('honours max direction', () => {
    const rows = [{ a: 1, u: 0.5 }, { a: 1, u: 0.9 }];
    const r = rankPoints(rows, [{ metric: 'a', direction: 'min' }, { metric: 'u', direction: 'max' }]);
    expect(Array.from(r.rank)).toEqual([2, 1]);
  });

  it('excludes missing and non-finite values visibly instead of ranking them', () => {
    const rows = [{ a: 1, b: 1 }, { a: NaN, b: 0 }, { b: 0 }, { a: 2, b: Infinity }];
    const r = rankPoints(rows, minMin);
    expect(Array.from(r.rank)).toEqual([1, 0, 0, 0]);
    expect(r.excluded).toEqual([
      { index: 1, metric: 'a', reason: 'not-finite' },
      { index: 2, metric: 'a', reason: 'missing' },
      { index: 3, metric: 'b', reason: 'not-finite' },
    ]);
  });
});

describe('markFirstFront', () => {
  for (const k of [1, 2, 3, 4]) {
    it(`agrees with the quadratic definition in ${k} objectives, ties included`, () => {
      const rnd = lcg(k * 7919);
      for (let trial = 0; trial < 40; trial++) {
        const n = 1 + rnd(60);
        const points = Array.from({ length: n }, () => Array.from({ length: k }, () => rnd(6)));
        const cols = Array.from({ length: k }, (_, j) => Float64Array.from(points, (p) => p[j] as number));
        const out = new Uint8Array(n);
        markFirstFront(cols, out);
        expect(Array.from(out)).toEqual(bruteFront(points));
      }
    });
  }

  it('keeps every point when all are mutually non-dominated, in the order that stresses the 3-D sweep', () => {
    const n = 5000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const out = new Uint8Array(n);
    markFirstFront([x, x.map((v) => -v), x.map((v) => v)], out);
    expect(out.every((v) => v === 1)).toBe(true);
    // One point that beats the last in every objective removes only that one.
    const y = Float64Array.from([...x, n - 1]);
    const out2 = new Uint8Array(n + 1);
    markFirstFront([y, Float64Array.from([...x.map((v) => -v), -n]), Float64Array.from([...x, n - 2])], out2);
    expect(out2.reduce((a, b) => a + b, 0)).toBe(n);
    expect(out2[n - 1]).toBe(0);
  });
});
