/**
 * Prints the time to find the first Pareto front of 10^6 random points in 3 objectives (median
 * of several runs), next to a 10^5 comparison run from the same invocation to show the scaling,
 * and a worst case where every point is on the front.
 */
import { markFirstFront } from '../src/hpc/pareto/first-front.js';

function randomColumns(n: number, k: number, seed: number): Float64Array[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: k }, () => Float64Array.from({ length: n }, next));
}

/** Every point on the front, each new one landing before all earlier steps of the staircase. */
function adversarialColumns(n: number): Float64Array[] {
  const x = Float64Array.from({ length: n }, (_, i) => i);
  return [x, x.map((v) => -v), x.map((v) => v)];
}

function medianMs(n: number, runs: number, make = (r: number) => randomColumns(n, 3, 1 + r)): { ms: number; front: number } {
  const times: number[] = [];
  let front = 0;
  for (let r = 0; r < runs; r++) {
    const cols = make(r);
    const out = new Uint8Array(n);
    const t0 = performance.now();
    markFirstFront(cols, out);
    times.push(performance.now() - t0);
    front = out.reduce((a, b) => a + b, 0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, front };
}

const small = medianMs(100_000, 5);
const big = medianMs(1_000_000, 5);
console.log(`pareto first front, 3 objectives, median of 5 runs`);
console.log(`  1e5 points: ${small.ms.toFixed(0)} ms (front ${small.front})`);
console.log(`  1e6 points: ${big.ms.toFixed(0)} ms (front ${big.front}); goal < 2000 ms`);
const worst = medianMs(1_000_000, 3, () => adversarialColumns(1_000_000));
console.log(`  1e6 points, all on the front (adversarial order): ${worst.ms.toFixed(0)} ms (front ${worst.front})`);
console.log(`  ratio 1e6/1e5: ${(big.ms / small.ms).toFixed(1)}x`);
