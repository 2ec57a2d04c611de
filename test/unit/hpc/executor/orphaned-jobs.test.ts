import { describe, expect, it } from 'vitest';
import { orphanedArrays } from '../../../../src/hpc/executor/orphaned-jobs.js';

describe('orphanedArrays', () => {
  const alive = (pid: number): boolean => pid === 200;
  const squeue = [
    '11|bench-x-0001aaaaaaaaaaaa|bench-x here:100 b100-1-0 0001aaaaaaaa',
    '11|bench-x-0001aaaaaaaaaaaa|bench-x here:100 b100-1-0 0001aaaaaaaa',
    '12|bench-x-0002aaaaaaaaaaaa|bench-x here:200 b200-1-0',
    '13|bench-x-0003aaaaaaaaaaaa|bench-x elsewhere:100 b100-1-0',
    '14|analysis|bench-x here:100 b100-1-0',
    '15|bench-x-0004aaaaaaaaaaaa|(null)',
    '',
  ].join('\n');

  it('picks arrays we submitted from this machine whose coordinator is dead, once each', () => {
    expect(orphanedArrays(squeue, 'here', alive)).toEqual(['11']);
  });

  it('leaves a live coordinator\'s jobs, another machine\'s, and jobs named otherwise', () => {
    expect(orphanedArrays(squeue, 'there', alive)).toEqual([]);
    expect(orphanedArrays(squeue, 'elsewhere', alive)).toEqual(['13']);
  });
});
