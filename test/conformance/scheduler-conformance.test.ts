/** The suite's own checks fail on records a broken backend would produce. */
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/hpc/workload/job.js';
import { conformanceWorkload, expectConformingRecords, peakCores } from './scheduler-conformance.js';

const specs = conformanceWorkload({ timeScale: 1, enforcesTimeLimit: true }, 2, 2);
/** Records of a correct run: jobs one after another, each exactly as submitted. */
function good(): JobRecord[] {
  let t = 0;
  return specs.map((s) => {
    const run = Math.min(s.runtime, s.walltime);
    const r: JobRecord = { id: s.id, user: s.user, submit: s.submit, start: Math.max(t, s.submit), end: 0, cores: s.cores, nodes: s.nodes || 1, gpus: 0, state: s.runtime > s.walltime ? 'timeout' : 'completed', backfilled: false };
    r.end = r.start + run;
    t = r.end;
    return r;
  });
}
const check = (jobs: JobRecord[]) => () => expectConformingRecords(jobs, specs, { slack: 0, totalCores: 4, overLimitId: 9 });

describe('conformance checks', () => {
  it('accept a correct run and reject a missing job, a wrong state, and capacity exceeded', () => {
    expect(specs.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(check(good())).not.toThrow();
    expect(check(good().slice(1))).toThrow();
    expect(check(good().map((j) => (j.id === 9 ? { ...j, state: 'completed' as const } : j)))).toThrow();
    const together = good().map((j) => ({ ...j, start: 10, end: 10 + (j.end - j.start) }));
    expect(peakCores(together, 0)).toBeGreaterThan(4);
    expect(check(together)).toThrow();
  });
});
