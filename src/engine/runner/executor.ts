/**
 * Executes one task attempt. The in-process executor is one implementation; a cluster executor
 * would submit the same context elsewhere. Executors never touch the cache database.
 */
import type { TaskContext } from '../graph/task-def.js';
import type { Task } from '../graph/task-graph.js';
import type { FailureReason } from '../events/events.js';

/** One attempt's outcome; a failure keeps what was thrown (its kind and stack), not only its message. */
export type TaskRun =
  | { kind: 'ok' }
  | { kind: 'failed'; reason: FailureReason; error: string; errorKind?: string; stack?: string };

/**
 * Maps what a task or resource threw to a failure: `exit-non-zero` only when it carries a process
 * exit code (execa's errors do), else `fallback`; the error's class or code and its stack are kept.
 */
export function failureOf(e: unknown, fallback: FailureReason): Extract<TaskRun, { kind: 'failed' }> {
  if (!(e instanceof Error)) return { kind: 'failed', reason: fallback, error: String(e) };
  const code = (e as { code?: unknown }).code;
  const exitCode = (e as { exitCode?: unknown }).exitCode;
  const reason = typeof exitCode === 'number' && exitCode !== 0 ? 'exit-non-zero' : fallback;
  const errorKind = typeof code === 'string' ? code : e.name;
  return { kind: 'failed', reason, error: e.message, errorKind, ...(e.stack ? { stack: e.stack } : {}) };
}

/** What the attempt computes: its fingerprint record and digest (a remote job is named by it). */
export interface AttemptInfo {
  digest: string;
  fingerprintJson: string;
}

export interface Executor {
  run(task: Task, ctx: TaskContext, timeoutMs: number | undefined, info?: AttemptInfo): Promise<TaskRun>;
  /**
   * For an executor that runs tasks elsewhere (see `RunOptions.executorFor`): how many of its
   * tasks may be in flight at once. Its tasks take none of this machine's job slots or budget.
   */
  capacity?: number;
}

/** Runs `def.run` in this process, racing it against cancellation and the timeout. */
export class InProcessExecutor implements Executor {
  async run(task: Task, ctx: TaskContext, timeoutMs: number | undefined): Promise<TaskRun> {
    const def = task.def;
    if (def.kind !== 'artifact') throw new Error(`executor asked to run resource ${task.id}`);
    const outer = ctx.signal;
    const ctrl = new AbortController();
    const onAbort = (): void => ctrl.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const stopped = new Promise<TaskRun>((resolve) => {
      const finish = (): void =>
        resolve({ kind: 'failed', reason: timedOut ? 'timed-out' : 'cancelled', error: timedOut ? `timed out after ${timeoutMs} ms` : 'cancelled' });
      if (ctrl.signal.aborted) finish();
      ctrl.signal.addEventListener('abort', finish, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(() => { timedOut = true; ctrl.abort(new Error('timeout')); }, timeoutMs);
    });
    const ran = def.run({ ...ctx, signal: ctrl.signal }).then(
      (): TaskRun => ({ kind: 'ok' }),
      (e: unknown): TaskRun => (ctrl.signal.aborted ? { ...failureOf(e, 'cancelled'), reason: timedOut ? 'timed-out' : 'cancelled' } : failureOf(e, 'task-error')),
    );
    try {
      return await Promise.race([ran, stopped]);
    } finally {
      if (timer) clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
  }
}
