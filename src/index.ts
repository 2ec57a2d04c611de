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
} from './engine/graph/task-def.js';
export type { SweepPoint, ComposedSweep } from './engine/config/sweep-point.js';
export type { JobSpec, JobRecord, JobState } from './hpc/workload/job.js';
export type { TaskId, Task, TaskGraph } from './engine/graph/task-graph.js';
export type { Fingerprint, Reason } from './engine/hash/fingerprint.js';
export type { RunEvent, TaskOutcome } from './engine/events/events.js';
export type { Plan, PlannedTask, PlanAction } from './engine/runner/plan.js';
export type { Executor, TaskRun } from './engine/runner/executor.js';
export type { BackendContext, Cluster, Host, Provider, RunOptions, RunResult, Scheduler, SchedulerHandle, Topology } from './hpc/backends/types.js';
