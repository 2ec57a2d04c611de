import { describe, expect, it } from 'vitest';
import { compareFidelity, formatFidelity, type FidelityInput } from '../../../../src/hpc/metrics/fidelity.js';

const cfg = (provider: string, scheduler: string, extra: Record<string, unknown> = {}) => ({
  provider: { kind: provider, ...(provider === 'sim' ? {} : { time_scale: 0.1 }) }, scheduler: { kind: scheduler }, topology: { name: 'small' }, ...extra,
});

describe('simulator fidelity', () => {
  it('pairs each real point with the point that differs only in provider and measures each metric gap', () => {
    const points: FidelityInput[] = [
      { pointId: 'netns-slurm', config: cfg('netns', 'slurm', { rep: 1 }), runs: [{ makespan: 100, bsld_mean: 2 }, { makespan: 110, bsld_mean: 2 }] },
      { pointId: 'sim-slurm', config: cfg('sim', 'slurm', { rep: 0 }), runs: [{ makespan: 90, bsld_mean: 2 }, { makespan: 90, bsld_mean: 2 }] },
      { pointId: 'sim-flux', config: cfg('sim', 'flux'), runs: [{ makespan: 50, bsld_mean: 1 }] },
    ];
    const r = compareFidelity(points);
    expect(r.unpaired).toEqual([]);
    expect(r.pairs).toHaveLength(1);
    const pair = r.pairs[0]!;
    expect([pair.realPoint, pair.simPoint, pair.realProvider]).toEqual(['netns-slurm', 'sim-slurm', 'netns']);
    const mk = pair.gaps.find((g) => g.metric === 'makespan')!;
    expect(mk.real.mean).toBe(105);
    expect(mk.sim.mean).toBe(90);
    expect(mk.diff).toBe(-15);
    expect(mk.relDiff).toBeCloseTo(-15 / 105, 12);
    // real CI half-width: t(1)=12.706 * s/sqrt(2) with s = 7.071 -> 63.5, so the intervals overlap.
    expect(mk.real.ci95).toBeCloseTo(63.53, 1);
    expect(mk.overlaps).toBe(true);
    const bsld = pair.gaps.find((g) => g.metric === 'bsld_mean')!;
    expect([bsld.diff, bsld.overlaps]).toEqual([0, true]);
  });

  it('says which real points have no simulated twin, and a gap beyond both intervals does not overlap', () => {
    const points: FidelityInput[] = [
      { pointId: 'netns-slurm', config: cfg('netns', 'slurm'), runs: [{ makespan: 100 }, { makespan: 100 }] },
      { pointId: 'netns-flux', config: cfg('netns', 'flux'), runs: [{ makespan: 1 }] },
      { pointId: 'sim-slurm', config: cfg('sim', 'slurm'), runs: [{ makespan: 50 }, { makespan: 50 }] },
    ];
    const r = compareFidelity(points);
    expect(r.unpaired).toEqual(['netns-flux']);
    expect(r.pairs[0]?.gaps[0]).toMatchObject({ diff: -50, overlaps: false });
    const text = formatFidelity(r);
    expect(text).toContain('netns-slurm (netns) vs sim-slurm (simulated)');
    expect(text).toContain('-50.0%');
    expect(text).toContain('no simulated twin for: netns-flux');
  });

  it('does not claim a distinguishable gap when a side has a single repetition', () => {
    const r = compareFidelity([
      { pointId: 'netns-slurm', config: cfg('netns', 'slurm'), runs: [{ makespan: 100 }] },
      { pointId: 'sim-slurm', config: cfg('sim', 'slurm'), runs: [{ makespan: 50 }, { makespan: 52 }] },
    ]);
    expect(r.pairs[0]?.gaps[0]).toMatchObject({ diff: -49, overlaps: undefined });
    expect(formatFidelity(r)).toContain('n/a (one run)');
  });

  it('does not pair points whose scheduler config differs', () => {
    const points: FidelityInput[] = [
      { pointId: 'a', config: cfg('netns', 'slurm', { scheduler: { kind: 'slurm', bf_window: 10 } }), runs: [{ makespan: 1 }] },
      { pointId: 'b', config: cfg('sim', 'slurm', { scheduler: { kind: 'slurm', bf_window: 20 } }), runs: [{ makespan: 1 }] },
    ];
    expect(compareFidelity(points)).toEqual({ pairs: [], unpaired: ['a'] });
  });
});
