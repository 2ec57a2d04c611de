/**
 * The trace-study protocol of the scheduling literature: simulate N windows of a trace, each of
 * `length` usable jobs from its own start, on the trace's own machine (trace-topology.ts), and
 * report the mean bounded slowdown over windows with its spread. Each window starts empty and
 * its first job arrives at 0; bsld = max(1, (wait + run) / max(run, 10 s)), mean over the
 * window's jobs (the metrics' definition).
 */
import { boundedSlowdown } from '../metrics/index.js';
import { parseSwf } from '../workload/swf.js';
import { traceMachine } from '../workload/trace-topology.js';
import { simulate, type SimPolicy } from './simulate.js';

export interface WindowResult {
  start: number;
  jobs: number;
  bsld: number;
}

export interface WindowStudy {
  windows: WindowResult[];
  /** Mean over windows of each window's mean bsld. */
  mean: number;
  /** Sample standard deviation over windows. */
  sd: number;
  min: number;
  max: number;
}

/** Simulates each window of the SWF text under the policy and summarises the windows' mean bsld. */
export function studyTraceWindows(opts: { text: string; file: string; starts: readonly number[]; length: number; policy: SimPolicy }): WindowStudy {
  const machine = traceMachine(opts.text);
  if (typeof machine === 'string') throw new Error(`${opts.file}: ${machine}`);
  const nodes = Array.from({ length: machine.count }, () => ({ cores: machine.vcpus, gpus: 0 }));
  const windows = opts.starts.map((start) => {
    const { jobs } = parseSwf(opts.text, { file: opts.file, skip: start, limit: opts.length, maxCores: machine.count * machine.vcpus });
    const r = simulate(jobs, nodes, opts.policy);
    let sum = 0;
    const d = r.jobs;
    for (let i = 0; i < d.length; i++) sum += boundedSlowdown((d.start[i] as number) - d.spec(i).submit, (d.end[i] as number) - (d.start[i] as number));
    return { start, jobs: r.jobs.length, bsld: r.jobs.length ? sum / r.jobs.length : NaN };
  });
  const xs = windows.map((w) => w.bsld);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { windows, mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
}

/** RLScheduler's ten test-window starts (gym seeding.np_random(1), randint(1024, 10000 − 1024 − 1)). */
export const RLSCHEDULER_WINDOW_STARTS: readonly number[] = [1981, 2756, 4299, 8850, 3316, 2714, 5228, 7762, 4022, 7085];
