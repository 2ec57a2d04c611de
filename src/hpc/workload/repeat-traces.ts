/** Longer workloads from real traces: copies laid end to end, for benchmarks and pinned schedules. */
import type { JobSpec } from './job.js';

/**
 * `copies` rounds of every trace in turn, each starting one second after the previous one's last
 * arrival, ids renumbered from 1 in that order.
 */
export function repeatTraces(traces: readonly (readonly JobSpec[])[], copies: number): JobSpec[] {
  const jobs: JobSpec[] = [];
  let offset = 0;
  for (let copy = 0; copy < copies; copy++) {
    for (const trace of traces) {
      let last = 0;
      for (const j of trace) {
        jobs.push({ ...j, id: jobs.length + 1, submit: j.submit + offset });
        last = Math.max(last, j.submit);
      }
      offset += last + 1;
    }
  }
  return jobs;
}
