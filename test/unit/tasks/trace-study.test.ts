import { describe, expect, it } from 'vitest';
import { formatTraceStudy, spreadOf, summarizeWindows, t95 } from '../../../tasks/trace-study.js';

const point = (workload: string, skip: number, rep = 0) => ({
  id: `${workload}-skip=${skip}-r${rep}`, rep, config: {}, configHash: `${workload}-${skip}`, overrides: [],
  choices: { workload, scheduler: 'generic', experiment: 'trace_windows' }, swept: { 'scheduler.policy': 'fcfs', 'workload.skip': skip },
});

describe('report:trace-study', () => {
  it('gives the mean over windows with the sample sd and a Student t interval', () => {
    const s = spreadOf([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(1.2910, 4);
    // t(0.975, 3) = 3.182: half-width 3.182 · 1.291 / 2.
    expect(s.ci95[0]).toBeCloseTo(2.5 - 2.054, 3);
    expect(s.ci95[1]).toBeCloseTo(2.5 + 2.054, 3);
    expect([s.min, s.max]).toEqual([1, 4]);
    expect(t95(9)).toBe(2.262);
    expect(t95(1e6)).toBeCloseTo(1.96, 3);
    expect(spreadOf([5]).ci95).toEqual([5, 5]);
  });

  it('groups points that differ only in their window, each window weighing once whatever its repetitions', () => {
    const groups = summarizeWindows([
      { point: point('lublin', 10), runs: [{ bsld_mean: 1 }, { bsld_mean: 3 }] },
      { point: point('lublin', 20), runs: [{ bsld_mean: 8 }] },
      { point: point('hpc2n', 10), runs: [{ bsld_mean: 100 }] },
    ]);
    expect(groups.map((g) => [g.group, g.windows, g.metrics['bsld_mean']?.mean])).toEqual([
      ['experiment=trace_windows scheduler.policy=fcfs scheduler=generic workload=lublin', [10, 20], 5],
      ['experiment=trace_windows scheduler.policy=fcfs scheduler=generic workload=hpc2n', [10], 100],
    ]);
    const text = formatTraceStudy(groups);
    expect(text).toContain('common: experiment=trace_windows scheduler.policy=fcfs scheduler=generic\n');
    expect(text).toMatch(/^workload=lublin \(2 windows: 10, 20\)\n {2}bsld_mean +mean +5\.000 +sd +4\.243/m);
  });
});
