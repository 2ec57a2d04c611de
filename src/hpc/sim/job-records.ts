/**
 * The records of a simulated run's started jobs, in arrival order, kept as columns (typed arrays)
 * rather than one object per job: a 100,000-job run's objects are ~10 MB that all survive a
 * scavenge, and making them was a third of an FCFS run's time (the garbage collector and the
 * record loop). When every job started — the common case — the columns are the simulator's own
 * per-job arrays, so returning the records costs nothing more. Callers that want objects
 * get them one at a time from `at(i)` or by iterating, or all at once from `toArray()`.
 */
import type { JobRecord, JobSpec, JobState } from '../workload/job.js';

export class JobRecords implements Iterable<JobRecord> {
  readonly length: number;
  /** Each record's job, in arrival order. */
  private readonly specs: readonly JobSpec[];
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Cores and GPUs the job held in all, and over how many nodes. */
  readonly cores: Float64Array;
  readonly gpus: Float64Array;
  readonly nodes: Int32Array;
  /** 1 where the job started ahead of one queued before it. */
  readonly backfilled: Uint8Array;

  /**
   * From the simulator's per-job columns: `started[j]` is 0 (never started), 1 (started) or
   * 2 (started as a backfill); `end` is where it ended (start plus the shorter of its runtime
   * and walltime). Jobs that never started are left out.
   */
  constructor(jobs: readonly JobSpec[], started: Uint8Array, start: Float64Array, end: Float64Array, cores: Float64Array, gpus: Float64Array, nodes: Int32Array) {
    let n = 0;
    for (let j = 0; j < jobs.length; j++) if (started[j] !== 0) n++;
    if (n === jobs.length) {
      this.specs = jobs;
      this.start = start;
      this.end = end;
      this.cores = cores;
      this.gpus = gpus;
      this.nodes = nodes;
      this.backfilled = started;
      for (let j = 0; j < n; j++) started[j] = started[j] === 2 ? 1 : 0;
    } else {
      const specs: JobSpec[] = [];
      this.start = new Float64Array(n);
      this.end = new Float64Array(n);
      this.cores = new Float64Array(n);
      this.gpus = new Float64Array(n);
      this.nodes = new Int32Array(n);
      this.backfilled = new Uint8Array(n);
      for (let j = 0, i = 0; j < jobs.length; j++) {
        if (started[j] === 0) continue;
        specs.push(jobs[j] as JobSpec);
        this.start[i] = start[j] as number;
        this.end[i] = end[j] as number;
        this.cores[i] = cores[j] as number;
        this.gpus[i] = gpus[j] as number;
        this.nodes[i] = nodes[j] as number;
        this.backfilled[i] = started[j] === 2 ? 1 : 0;
        i++;
      }
      this.specs = specs;
    }
    this.length = n;
  }

  /** The job of record i (its id, user, submit time and request). */
  spec(i: number): JobSpec {
    return this.specs[i] as JobSpec;
  }

  /** A job killed at its walltime timed out. */
  state(i: number): JobState {
    const spec = this.specs[i] as JobSpec;
    return spec.runtime > spec.walltime ? 'timeout' : 'completed';
  }

  /** Record i as an object (a new one each call). */
  at(i: number): JobRecord {
    const spec = this.specs[i] as JobSpec;
    return {
      id: spec.id,
      user: spec.user,
      submit: spec.submit,
      start: this.start[i] as number,
      end: this.end[i] as number,
      cores: this.cores[i] as number,
      nodes: this.nodes[i] as number,
      gpus: this.gpus[i] as number,
      state: this.state(i),
      backfilled: this.backfilled[i] === 1,
    };
  }

  *[Symbol.iterator](): Iterator<JobRecord> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  toArray(): JobRecord[] {
    const out = new Array<JobRecord>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }

  /** The latest end, or `otherwise` when there are no records. */
  lastEnd(otherwise: number): number {
    let last = otherwise;
    for (let i = 0; i < this.length; i++) last = Math.max(last, this.end[i] as number);
    return last;
  }
}
