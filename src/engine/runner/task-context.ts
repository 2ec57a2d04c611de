/** Builds the `TaskContext` handed to a task's `run`, `up` or `down`. */
import type { DepOutput, Logger, TaskContext } from '../graph/task-def.js';
import type { Task, TaskGraph, TaskId } from '../graph/task-graph.js';
import type { EventSink } from '../events/events.js';

/** A logger that turns messages into `task-log` events. */
export function taskLogger(taskId: string, emit: EventSink): Logger {
  const at = (level: 'info' | 'warn' | 'debug') => (message: string): void => emit({ kind: 'task-log', at: Date.now(), taskId, level, message });
  return { info: at('info'), warn: at('warn'), debug: at('debug') };
}

/** Context of one task: its config slice, points, and each dependency's committed dir or live handle. */
export function makeContext(opts: {
  graph: TaskGraph;
  task: Task;
  signal: AbortSignal;
  outDir: string;
  projectRoot: string;
  emit: EventSink;
  dirOf: (id: TaskId) => string;
  handleOf: (id: TaskId) => unknown;
}): TaskContext {
  const { graph, task } = opts;
  const deps: Record<string, DepOutput[]> = {};
  for (const id of task.deps) {
    const dep = graph.tasks.get(id) as Task;
    const out: DepOutput = { taskId: id, pointIds: dep.points.map((p) => p.id), rep: dep.rep, dir: dep.def.kind === 'artifact' ? opts.dirOf(id) : '' };
    if (dep.def.kind === 'resource') out.handle = opts.handleOf(id);
    (deps[dep.name] ??= []).push(out);
  }
  return {
    signal: opts.signal,
    outDir: opts.outDir,
    log: taskLogger(task.id, opts.emit),
    projectRoot: opts.projectRoot,
    config: task.config,
    points: task.points,
    rep: task.rep,
    deps,
  };
}
