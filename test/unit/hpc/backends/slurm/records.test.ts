import { describe, expect, it } from 'vitest';
import type { JobcompRecord } from '../../../../../src/hpc/backends/slurm/jobcomp.js';
import { buildJobRecords, type Submission } from '../../../../../src/hpc/backends/slurm/records.js';
import type { JobSpec } from '../../../../../src/hpc/workload/job.js';

const spec = (id: number, submit: number, cores = 2): JobSpec => ({ id, user: `u${id % 2}`, submit, cores, nodes: 0, gpus: 0, memoryMiB: 0, runtime: 100, walltime: 1000 });
const T = 1_800_000_000;
const done = (slurmId: number, submit: number, start: number, end: number, over: Partial<JobcompRecord> = {}): JobcompRecord => ({
  slurmId, name: '', slurmState: 'COMPLETED', state: 'completed', submit: T + submit, start: T + start, end: T + end, nodeList: 'c1', nodeCount: 1, procCount: 2, exitCode: '0:0', ...over,
});

describe('buildJobRecords', () => {
  const specs = [spec(1, 1000), spec(2, 1100), spec(3, 1200), spec(4, 1300)];
  const submissions = new Map<number, Submission>([
    [1, { kind: 'submitted', slurmId: 11 }], [2, { kind: 'submitted', slurmId: 12 }], [3, { kind: 'submitted', slurmId: 13 }], [4, { kind: 'rejected', message: 'Requested node configuration is not available' }],
  ]);
  const completions = new Map([
    [11, done(11, 0, 1, 11)],
    // Waits: job 13 starts before it.
    [12, done(12, 1, 6, 16, { procCount: 4, nodeCount: 2 })],
    [13, done(13, 2, 3, 4, { slurmState: 'TIMEOUT', state: 'timeout' })],
  ]);
  const records = buildJobRecords({ specs, submissions, completions, timeScale: 0.1 });

  it('puts SLURM times on the workload clock: seconds since the first submission / scale + first arrival', () => {
    expect(records.map((r) => [r.id, r.submit, r.start, r.end])).toEqual([[1, 1000, 1010, 1110], [2, 1010, 1060, 1160], [3, 1020, 1030, 1040], [4, 1300, 1300, 1300]]);
  });

  it('takes state, nodes and allocated CPUs from the completion record', () => {
    expect(records[1]).toMatchObject({ cores: 4, nodes: 2, state: 'completed' });
    expect(records[2]?.state).toBe('timeout');
  });

  it('records a rejected submission as a failed job that never ran', () => {
    expect(records[3]).toMatchObject({ state: 'failed', nodes: 0, cores: 2, backfilled: false });
  });

  it('marks a job that started while an earlier-submitted one still waited', () => {
    expect(records.map((r) => r.backfilled)).toEqual([false, false, true, false]);
  });

  it('refuses to invent an outcome for a submitted job without a completion record', () => {
    expect(() => buildJobRecords({ specs, submissions, completions: new Map([[11, done(11, 0, 1, 2)]]), timeScale: 1 })).toThrow(/job 2 \(SLURM 12\) has no completion record/);
  });
});
