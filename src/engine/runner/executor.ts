/**
 * Executes one task attempt. The in-process executor is one implementation; a cluster executor
 * would submit the same context elsewhere. Executors never touch the cache database.
 */
import type { TaskContext } from '../graph/task-def.js';
import type { Task } from '../graph/task-graph.js';

/** One attempt's outcome. */
export type TaskRun =
  | { kind: 'ok' }
  | { kind: 'failed'; reason: 'exit-non-zero' | 'timed-out' | 'cancelled'; error: string };

export interface Executor {
  run(task: Task, ctx: TaskContext, timeoutMs: number | undefined): Promise<TaskRun>;
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
      (e: unknown): TaskRun => ({ kind: 'failed', reason: ctrl.signal.aborted ? (timedOut ? 'timed-out' : 'cancelled') : 'exit-non-zero', error: e instanceof Error ? e.message : String(e) }),
    );
    try {
      return await Promise.race([ran, stopped]);
    } finally {
      if (timer) clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
  }
}
