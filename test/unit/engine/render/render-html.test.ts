import { describe, expect, it } from 'vitest';
import { wrapLabel } from '../../../../src/engine/render/render-html.js';

describe('graph page labels', () => {
  it('keeps the whole id, breaking after the task name and then after dashes', () => {
    expect(wrapLabel('workload:run[small-slurm-cpu_intensive-r0]', 30)).toEqual(['workload:run', '[small-slurm-cpu_intensive-r0]']);
    expect(wrapLabel('workload:run[large-kubernetes-gpu_intensive-r2]', 28)).toEqual(['workload:run', '[large-kubernetes-', 'gpu_intensive-r2]']);
    expect(wrapLabel('report:pareto[all]', 28)).toEqual(['report:pareto', '[all]']);
  });

  it('cuts a word wider than the box without losing characters', () => {
    const id = `t[${'x'.repeat(40)}]`;
    const lines = wrapLabel(id, 16);
    expect(lines.join('')).toBe(id);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(16);
  });
});
