/**
 * The jobs table shared by every backend: generators and trace import produce `JobSpec`s,
 * the simulator and real schedulers produce `JobRecord`s, metrics read `JobRecord`s.
 * All times are seconds (float) relative to the workload's start.
 */
export interface JobSpec {
  id: number;
  user: string;
  /** Arrival time. */
  submit: number;
  /** Total cores requested. */
  cores: number;
  /** Nodes requested; 0 lets the scheduler choose. */
  nodes: number;
  /** Total GPUs requested. */
  gpus: number;
  memoryMiB: number;
  /** How long the job really runs. */
  runtime: number;
  /** The user's requested time limit; the job is killed when it reaches it. */
  walltime: number;
}

export type JobState = 'completed' | 'timeout' | 'failed' | 'cancelled';

export interface JobRecord {
  id: number;
  user: string;
  submit: number;
  start: number;
  end: number;
  cores: number;
  nodes: number;
  gpus: number;
  state: JobState;
  /** Started ahead of a job that was queued before it. */
  backfilled: boolean;
}
