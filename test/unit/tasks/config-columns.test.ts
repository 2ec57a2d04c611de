import { describe, expect, it } from 'vitest';
import { configColumns } from '../../../tasks/report.js';

describe('configColumns', () => {
  it('names every group choice and each swept key, not only what the command line said', () => {
    const point = {
      id: 'seed=2-r0', rep: 0, config: {}, configHash: 'h', overrides: ['experiment=mapped', 'seed=2'],
      choices: { topology: 'medium', scheduler: 'slurm', workload: 'mixed', experiment: 'mapped' },
      swept: { seed: 2, 'scheduler.SchedulerParameters.bf_window': [1, 2] },
    };
    expect(configColumns(point)).toEqual({
      topology: 'medium', scheduler: 'slurm', workload: 'mixed', experiment: 'mapped', seed: 2, 'scheduler.SchedulerParameters.bf_window': '[1,2]',
    });
  });
});
