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
