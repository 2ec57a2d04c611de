/** The run's event stream: the runner emits, reporters render, tests assert on it. */
import type { Reason } from '../hash/fingerprint.js';

/**
 * `ok`, `cached` (early cutoff or another process committed it), or a failure reason:
 * `exit-non-zero` (a process the task ran exited non-zero), `task-error` (the task threw),
 * `resource-failed` (a resource it needs did not come up), `timed-out`, `cancelled`,
 * `dependency-failed`.
 */
export type TaskOutcome = 'ok' | 'cached' | FailureReason | 'dependency-failed';

/** Why one attempt failed. */
export type FailureReason = 'exit-non-zero' | 'task-error' | 'resource-failed' | 'timed-out' | 'cancelled';

export type RunEvent =
  | { kind: 'run-started'; at: number; total: number; toRun: number }
  | { kind: 'task-queued'; at: number; taskId: string }
  | { kind: 'task-started'; at: number; taskId: string; attempt: number; reason: Reason }
  | { kind: 'task-log'; at: number; taskId: string; level: 'info' | 'warn' | 'debug'; message: string }
  | {
      kind: 'task-finished'; at: number; taskId: string; outcome: TaskOutcome; reason: Reason; ms: number; error?: string;
      /** What was thrown: the error's class or code (`SshError`, `ENOENT`, ...), and its stack, for the NDJSON log. */
      errorKind?: string; stack?: string;
    }
  | { kind: 'task-skipped'; at: number; taskId: string; reason: Reason }
  | { kind: 'resource-up'; at: number; taskId: string }
  | { kind: 'resource-down'; at: number; taskId: string; error?: string }
  /** `restored`: tasks that took back an earlier commit instead of running (counted apart from `skipped`). */
  | { kind: 'run-finished'; at: number; ok: boolean; ran: number; skipped: number; failed: number; ms: number; restored?: number; cancelled?: boolean };

/** Receives every event in order. */
export type EventSink = (event: RunEvent) => void;
