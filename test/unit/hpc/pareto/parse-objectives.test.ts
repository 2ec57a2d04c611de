import { describe, expect, it } from 'vitest';
import { parseObjectives } from '../../../../src/hpc/pareto/parse-objectives.js';

describe('parseObjectives', () => {
  it('defaults to makespan, bsld_mean, utilization, fairness', () => {
    expect(parseObjectives(undefined).objectives.map((o) => `${o.metric}:${o.direction}`)).toEqual([
      'makespan:min', 'bsld_mean:min', 'utilization:max', 'fairness:max',
    ]);
  });

  it('reads the config list', () => {
    const r = parseObjectives([{ metric: 'wait_p95', direction: 'min' }, { metric: 'throughput', direction: 'max' }]);
    expect(r).toEqual({ objectives: [{ metric: 'wait_p95', direction: 'min' }, { metric: 'throughput', direction: 'max' }], diagnostics: [] });
  });

  it('reports every mistake with its key path', () => {
    const r = parseObjectives(
      [{ metric: 'makespan', direction: 'down' }, { metric: 'makspan', direction: 'min' }, { metric: 'fairness' }, { metric: 'fairness', direction: 'max' }, { metric: 'fairness', direction: 'max' }],
      ['makespan', 'fairness'],
    );
    expect(r.diagnostics.map((d) => d.keyPath)).toEqual(['objectives.0.direction', 'objectives.1.metric', 'objectives.2.direction', 'objectives.4.metric']);
    expect(r.diagnostics[1]).toMatchObject({ message: 'unknown metric', found: 'makspan' });
    expect(r.objectives).toEqual([{ metric: 'fairness', direction: 'max' }]);
  });

  it('rejects an empty list', () => {
    expect(parseObjectives([]).diagnostics[0]?.message).toBe('must be a non-empty list');
  });
});
