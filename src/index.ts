/** The public API imported by `benchfile.ts` (`import { ... } from 'bench'`). */
export type {
  ArtifactTaskDef,
  Benchfile,
  DepOutput,
  HostUse,
  Logger,
  ResourceTaskDef,
  TaskContext,
  TaskDef,
} from './graph/task-def.js';
export type { SweepPoint, ComposedSweep } from './config/sweep-point.js';
export type { JobSpec, JobRecord, JobState } from './workload/job.js';
export type { TaskId, Task, TaskGraph } from './graph/task-graph.js';
export type { Fingerprint, Reason } from './hash/fingerprint.js';
export type { RunEvent, TaskOutcome } from './report/events.js';
export type { Plan, PlannedTask, PlanAction } from './runner/plan.js';
export type { Executor, TaskRun } from './runner/executor.js';
export type { BackendContext, Cluster, Host, Provider, RunOptions, RunResult, Scheduler, SchedulerHandle, Topology } from './backends/types.js';
