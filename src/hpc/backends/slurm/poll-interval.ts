/**
 * When to run squeue next while jobs are collected. Each poll is an SSH command on the head
 * host, which on a 1-vCPU VM under emulation costs a large share of its CPU and makes sbatch
 * lag; and job times come from SLURM's own records, so polling less often only delays noticing
 * that a job finished. So the interval starts at a minimum, doubles after each poll that saw
 * nothing change, up to a maximum, and starts over when something changed or a batch of jobs
 * went out. A running job's expected end, known from its spec, is polled for at most one
 * minimum interval late. Pure: times are epoch milliseconds passed in.
 */

export interface PollLimits {
  /** Least rest between the end of one poll and the start of the next. */
  minMs: number;
  /** Longest rest while nothing changes. */
  maxMs: number;
}

/** Growth of the interval after a poll that saw nothing change. */
export const POLL_BACKOFF = 2;

export class PollSchedule {
  private intervalMs: number;
  /** Where the current interval is counted from: the end of the last poll, or a reset. */
  private fromMs: number;
  private lastAskedMs = -Infinity;
  private lastAnsweredMs = -Infinity;
  private resetMs = -Infinity;

  constructor(private readonly limits: PollLimits, nowMs: number) {
    if (!(limits.minMs > 0) || !(limits.maxMs >= limits.minMs)) throw new Error(`poll limits: expected 0 < min <= max, found ${limits.minMs} and ${limits.maxMs} ms`);
    this.intervalMs = limits.minMs;
    this.fromMs = nowMs;
  }

  /**
   * A poll asked at `askedMs` answered at `answeredMs`; `changed` when the queue differed from the
   * last poll or jobs still await their records. A reset during the poll counts as a change: the
   * poll may have run before the batch that caused it.
   */
  polled(askedMs: number, answeredMs: number, changed: boolean): void {
    const fresh = changed || this.resetMs >= askedMs;
    this.intervalMs = fresh ? this.limits.minMs : Math.min(this.limits.maxMs, this.intervalMs * POLL_BACKOFF);
    this.fromMs = answeredMs;
    this.lastAskedMs = askedMs;
    this.lastAnsweredMs = answeredMs;
  }

  /** Something the next poll should see soon happened at `atMs` (a batch of jobs went out). */
  reset(atMs: number): void {
    this.intervalMs = this.limits.minMs;
    this.fromMs = atMs;
    this.resetMs = atMs;
  }

  /**
   * When to poll next. `expectedEnds` are when running jobs should finish; one a poll has
   * already been asked after is spent (the job outran its estimate, and backing off resumes).
   */
  nextAt(expectedEnds: Iterable<number> = []): number {
    let at = this.fromMs + this.intervalMs;
    for (const end of expectedEnds) if (end > this.lastAskedMs) at = Math.min(at, end + this.limits.minMs);
    return Math.max(at, this.lastAnsweredMs + this.limits.minMs);
  }

  /** The current back-off interval, for logs and tests. */
  get currentMs(): number {
    return this.intervalMs;
  }
}

/**
 * When a job first seen running at `seenMs` started, best guess. squeue's start time is SLURM's
 * clock in whole seconds, so it is taken as the end of its second and kept between the previous
 * poll (`sinceMs`, when the job was not running yet) and `seenMs`, which also bounds any skew
 * between SLURM's clock and this one.
 */
export function estimateStartMs(squeueStartS: number | undefined, sinceMs: number, seenMs: number): number {
  if (squeueStartS === undefined) return seenMs;
  return Math.min(seenMs, Math.max(sinceMs, (squeueStartS + 1) * 1000));
}
