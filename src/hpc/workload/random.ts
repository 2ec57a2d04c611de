/** A small seeded PRNG (splitmix32 seeding a mulberry32 stream) and the distributions the generators use. */

/** Uniform floats in [0, 1), reproducible for a seed. */
export function createRandom(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  let a = (s ^ (s >>> 16)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential with the given mean (inter-arrival times of a Poisson process). */
export function exponential(rand: () => number, mean: number): number {
  return -mean * Math.log(1 - rand());
}

/** Standard normal by Box-Muller. */
export function normal(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Lognormal with the given median and shape sigma. */
export function lognormal(rand: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rand));
}

/** A power of two between min and max, the exponent uniform: HPC job sizes cluster on powers of two. */
export function log2Uniform(rand: () => number, min: number, max: number): number {
  const lo = Math.log2(Math.max(1, min));
  const hi = Math.log2(Math.max(1, max));
  return Math.min(max, Math.max(min, 2 ** Math.round(lo + rand() * (hi - lo))));
}

/** Index in [0, n) with Zipf-like weights 1/(i+1): a few users submit most jobs. */
export function zipfIndex(rand: () => number, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += 1 / (i + 1);
  let x = rand() * total;
  for (let i = 0; i < n; i++) {
    x -= 1 / (i + 1);
    if (x < 0) return i;
  }
  return n - 1;
}
