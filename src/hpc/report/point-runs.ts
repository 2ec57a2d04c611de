/**
 * What the report knows about the runs behind each sweep point besides its metrics: where it ran
 * (simulated or real), the warnings that change how it compares, and its time series.
 */
import type { HostSample } from '../results/host-series.js';

/** `series.json` of a run: cluster state after each event, times in s. */
export interface RunSeries {
  t: number[];
  queued: number[];
  busyCores: number[];
  busyGpus: number[];
}

/** Columns of a `scheduler.arrow`: `t` (s) and any numeric series the backend recorded. */
export interface SchedulerSeries {
  t: number[];
  columns: Record<string, number[]>;
}

/** Per point (all repetitions): backend, caveats; series of its first repetition. */
export interface PointRuns {
  /** Provider kind the runs used; `sim` means the embedded simulator. */
  provider: string;
  /** Deduplicated warnings of its runs, numbers that vary across repetitions shown as ranges. */
  caveats: string[];
  series?: RunSeries;
  /** Compute cores and GPUs of the topology, to turn busy counts into fractions. */
  totalCores?: number;
  totalGpus?: number;
  hosts?: HostSample[];
  scheduler?: SchedulerSeries;
}

/** `simulated` on the embedded simulator, `real` on any other provider. */
export function runKind(provider: string | undefined): 'simulated' | 'real' {
  return provider === undefined || provider === 'sim' ? 'simulated' : 'real';
}
