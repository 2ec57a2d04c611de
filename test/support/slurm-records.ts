/** Checks every real SLURM test makes of its job records against the specs it submitted. */
import { expect } from 'vitest';
import type { JobRecord, JobSpec } from '../../src/hpc/workload/job.js';

/**
 * Each spec came back once, in order, completed, with consistent times, the requested cores and
 * nodes (a job leaving the node count to SLURM may spread over `spreadNodes`), and a run time of
 * the payload's, give or take SLURM's one-second resolution and start-up (2 s real).
 */
export function expectCompletedAsSubmitted(jobs: readonly JobRecord[], specs: readonly JobSpec[], timeScale: number, spreadNodes: number[]): void {
  expect(jobs.map((j) => j.id)).toEqual(specs.map((s) => s.id));
  for (const [i, j] of jobs.entries()) {
    const s = specs[i] as JobSpec;
    const label = `job ${j.id}: ${JSON.stringify(j)}`;
    expect(j.state, label).toBe('completed');
    expect(j.start, label).toBeGreaterThanOrEqual(j.submit);
    expect(j.end, label).toBeGreaterThan(j.start);
    if (s.nodes > 0) expect(j.nodes, label).toBe(s.nodes);
    else expect(spreadNodes, label).toContain(j.nodes);
    expect(j.cores, label).toBe(s.cores);
    expect(Math.abs(j.end - j.start - s.runtime), label).toBeLessThanOrEqual(2 / timeScale);
  }
}
