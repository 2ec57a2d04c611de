/**
 * The public API imported by `benchfile.ts` and `tasks/` (`import { defineTask } from 'bench'`).
 * This entry stays light (it loads on every run, even a no-op): the task API, typed config and
 * diagnostics. The domain's heavier parts are subpaths that tasks import when they run:
 *
 * - `bench/metrics`   run metrics, repetition aggregates, simulator fidelity
 * - `bench/results`   Arrow tables (jobs, metrics, host series) and a point's config.yaml
 * - `bench/report`    Pareto ranking, objectives, cost metrics, the sweep report
 * - `bench/workload`  generated workloads and SWF traces
 * - `bench/backends`  providers and schedulers by kind
 * - `bench/image`     VM images
 * - `bench/tracking`  exporting runs to MLflow
 */
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
export { defineResource, defineTask } from './hpc/config/define-task.js';
export type { BenchConfig, BenchPoint, ConfigAt, ConfigSlice, TypedArtifactDef, TypedResourceDef, TypedTaskContext } from './hpc/config/define-task.js';
export type { Config, ImageConfig, ProviderConfig, SchedulerConfig, WorkloadConfig } from './hpc/config/schema.js';
export { formatDiagnostic } from './engine/diagnostic.js';
export type { Diagnostic } from './engine/diagnostic.js';
export { VERSION } from './version.js';
export { canonicalJson, sha256Hex } from './engine/hash/canonical-json.js';
export type { SweepPoint, ComposedSweep } from './engine/config/sweep-point.js';
export type { JobSpec, JobRecord, JobState } from './hpc/workload/job.js';
export type { TaskId, Task, TaskGraph } from './engine/graph/task-graph.js';
export type { Fingerprint, Reason } from './engine/hash/fingerprint.js';
export type { RunEvent, TaskOutcome } from './engine/events/events.js';
export type { Plan, PlannedTask, PlanAction } from './engine/runner/plan.js';
export type { Executor, TaskRun } from './engine/runner/executor.js';
export type { BackendContext, Cluster, Host, Provider, RunOptions, RunResult, Scheduler, SchedulerHandle, Topology } from './hpc/backends/types.js';
