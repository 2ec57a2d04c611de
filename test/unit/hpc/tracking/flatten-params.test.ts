import { describe, expect, it } from 'vitest';
import { flattenParams, limitParam, PARAM_LIMITS } from '../../../../src/hpc/tracking/flatten-params.js';

describe('flattenParams', () => {
  it('puts group choices first, then leaf keys by dotted path in sorted order, lists as JSON', () => {
    const config = {
      topology: { name: 'tiny', compute_nodes: { count: 2 } },
      scheduler: { kind: 'slurm', SchedulerParameters: { bf_window: 60 } },
      objectives: [{ metric: 'makespan', direction: 'min' }],
      seed: 42,
      tracking: { kind: 'mlflow', uri: 'http://x' },
      sweep: { mode: 'product', params: {} },
    };
    const { params, truncated } = flattenParams(config, { topology: 'tiny', scheduler: 'slurm', tracking: 'mlflow' }, { rep: 1 });
    expect(params.map((p) => p.key)).toEqual([
      'topology', 'scheduler', 'rep',
      'objectives', 'scheduler.SchedulerParameters.bf_window', 'scheduler.kind', 'seed', 'topology.compute_nodes.count', 'topology.name',
    ]);
    expect(params.find((p) => p.key === 'objectives')?.value).toBe('[{"metric":"makespan","direction":"min"}]');
    expect(params.find((p) => p.key === 'rep')?.value).toBe('1');
    expect(truncated).toEqual([]);
  });

  it('cuts values and keys past MLflow limits, says which, and keeps cut keys distinct', () => {
    const long = 'x'.repeat(PARAM_LIMITS.value + 10);
    const { params, truncated } = flattenParams({ a: { list: long } }, {});
    expect(params[0]?.value).toHaveLength(PARAM_LIMITS.value);
    expect(params[0]?.value).toMatch(/see config\.yaml\]$/);
    expect(truncated).toEqual(['a.list']);
    const k1 = limitParam(`${'k'.repeat(300)}1`, 'v').key;
    const k2 = limitParam(`${'k'.repeat(300)}2`, 'v').key;
    expect(k1).toHaveLength(PARAM_LIMITS.key);
    expect(k1).not.toBe(k2);
  });
});
