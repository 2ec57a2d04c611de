import { describe, expect, it } from 'vitest';
import { JobRecords } from '../../../../src/hpc/sim/job-records.js';
import type { JobSpec } from '../../../../src/hpc/workload/job.js';

const job = (id: number, submit: number, runtime: number, walltime: number): JobSpec =>
  ({ id, user: `u${id}`, submit, cores: 1, nodes: 0, gpus: 0, memoryMiB: 0, runtime, walltime });
const jobs = [job(1, 0, 10, 20), job(2, 1, 30, 20), job(3, 2, 5, 5)];

describe('JobRecords', () => {
  it('when every job started, gives each as a record with its end, state and backfill flag', () => {
    const r = new JobRecords(jobs, Uint8Array.from([1, 2, 1]), Float64Array.from([0, 4, 10]), Float64Array.from([10, 24, 15]), Float64Array.from([1, 2, 3]), Float64Array.from([0, 1, 0]), Int32Array.from([1, 2, 1]));
    expect(r.length).toBe(3);
    expect([...r.end]).toEqual([10, 24, 15]);
    expect(r.at(1)).toEqual({ id: 2, user: 'u2', submit: 1, start: 4, end: 24, cores: 2, nodes: 2, gpus: 1, state: 'timeout', backfilled: true });
    expect([...r]).toEqual(r.toArray());
    expect(r.toArray().map((x) => [x.id, x.state, x.backfilled])).toEqual([[1, 'completed', false], [2, 'timeout', true], [3, 'completed', false]]);
    expect(r.lastEnd(0)).toBe(24);
  });

  it('leaves out jobs that never started, keeping the others in arrival order', () => {
    const r = new JobRecords(jobs, Uint8Array.from([2, 0, 1]), Float64Array.from([3, 0, 7]), Float64Array.from([13, 0, 12]), Float64Array.from([1, 9, 3]), Float64Array.from([0, 9, 0]), Int32Array.from([1, 9, 3]));
    expect(r.length).toBe(2);
    expect(r.toArray().map((x) => [x.id, x.start, x.end, x.cores, x.nodes, x.backfilled])).toEqual([[1, 3, 13, 1, 1, true], [3, 7, 12, 3, 3, false]]);
    expect(r.spec(1)).toBe(jobs[2]);
  });

  it('has no records and the given last end for a run that started nothing', () => {
    const r = new JobRecords([], new Uint8Array(0), new Float64Array(0), new Float64Array(0), new Float64Array(0), new Float64Array(0), new Int32Array(0));
    expect(r.toArray()).toEqual([]);
    expect(r.lastEnd(5)).toBe(5);
  });
});
