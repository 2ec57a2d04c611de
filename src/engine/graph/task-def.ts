/**
 * The benchfile API: what a `benchfile.ts` declares. Everything here is plain data plus the
 * task's own functions; the engine never assumes a task runs in this process, so a task's
 * inputs and outputs are described by paths and JSON values only.
 */
import type { SweepPoint } from '../config/sweep-point.js';

/** Messages from a running task; they become `RunEvent`s and land in the task's log file. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Host resources a task occupies while it runs; the runner never exceeds the host budget. */
export interface HostUse {
  /** Cores, may be fractional; default 1. */
  cpus?: number;
  memoryMiB?: number;
  /** Named counted pools declared in the config's budget (e.g. `{ vm: 1 }`). */
  pools?: Record<string, number>;
}

/** The committed output of one finished dependency instance. */
export interface DepOutput {
  taskId: string;
  /** Sweep points this instance served. */
  pointIds: string[];
  rep: number | undefined;
  /** Directory holding the dependency's committed output files (read-only). */
  dir: string;
  /** For resource tasks: the JSON handle returned by `up`. */
  handle?: unknown;
}

export interface TaskContext {
  signal: AbortSignal;
  /** Write outputs here; committed atomically after `run` resolves. */
  outDir: string;
  log: Logger;
  projectRoot: string;
  /** The declared config slice only (keys listed in `reads`), taken from this instance's points. */
  config: Record<string, unknown>;
  /** Sweep points this instance serves (one for `scope: 'point'` unless deduplicated, all for `'sweep'`). */
  points: SweepPoint[];
  /** Repetition index for `repeats: true` tasks, else undefined. */
  rep: number | undefined;
  /** Outputs of the tasks named in `needs`, by task name. */
  deps: Record<string, DepOutput[]>;
}

interface TaskDefBase {
  /** `group:action`, e.g. `workload:run`. */
  name: string;
  /** Bump to invalidate every cached output of this task. */
  version: string | number;
  description?: string;
  /** Names of tasks whose outputs this task reads. */
  needs?: string[];
  /** Config key paths this task reads (`topology`, `scheduler.SchedulerParameters`). */
  reads?: string[];
  /** Input file globs relative to the project root. */
  inputs?: string[];
  /**
   * Files the instance's config names (a trace at `workload.path`), found from its config slice
   * rather than listed by hand: each is an input of that instance only, hashed like `inputs`.
   * Paths are project-relative or absolute; a missing file counts as changed, not as an error.
   */
  inputsFrom?(config: Record<string, unknown>): string[];
  /** `point`: one instance per distinct config slice; `sweep`: one instance over all points. */
  scope?: 'point' | 'sweep';
  /** One instance per repetition index: trials must never collapse into one. */
  repeats?: boolean;
  /**
   * Runs as an extra target whenever the named task is a target and `when` holds for one of the
   * instance's points (e.g. an export that follows the report when the config turns it on). With
   * no targets given, instances for which `when` fails are left out too. A sweep-wide instance
   * depends only on the points for which `when` holds.
   */
  joins?: { target: string; when(config: Record<string, unknown>): boolean };
  uses?: HostUse;
  retries?: number;
  timeoutMs?: number;
}

/** Produces files; cached by fingerprint and skipped when up to date. */
export interface ArtifactTaskDef extends TaskDefBase {
  kind: 'artifact';
  /** File names in `outDir` copied to `results/` top level after commit (e.g. `report.html`). */
  publish?: string[];
  /** A text file in `outDir` the CLI prints after a run that targets this task, run or up to date. */
  summary?: string;
  /**
   * The task may run on another machine (a cluster executor): its `run` uses only its context
   * (config slice, points, dependency dirs, JSON handles) and writes only to `outDir`. A function
   * decides per instance from its config slice (e.g. only on a simulated cluster). Default: no.
   */
  remote?: boolean | ((config: Record<string, unknown>) => boolean);
  run(ctx: TaskContext): Promise<void>;
}

/**
 * Brings something live up and down (hosts, daemons). Never cached as done. The handle returned by
 * `up` must be JSON: it is written to the resource ledger so that a later process can call `down`
 * with it after a crash.
 */
export interface ResourceTaskDef<Handle = unknown> extends TaskDefBase {
  kind: 'resource';
  up(ctx: TaskContext): Promise<Handle>;
  down(handle: Handle, ctx: TaskContext): Promise<void>;
  /**
   * A lock on what the resource occupies: while a dependent artifact runs, no other artifact
   * holding the same lock runs, and a resource instance with that lock comes up only once every
   * other instance with it is down (a real scheduler: two repetitions submitting to one cluster
   * at once would measure each other; two clusters cannot share one subnet). `true` locks the
   * instance itself; a string names a lock shared across instances; a function decides from the
   * instance's config slice (e.g. none on the simulator). Default: no lock.
   */
  exclusive?: boolean | ((config: Record<string, unknown>) => string | boolean | undefined);
  /**
   * Destroys what dead bench processes left behind that the ledger cannot know of (a kill -9
   * in the middle of `up`, before there was a handle). `bench gc` calls it.
   */
  cleanupLeftovers?(ctx: { projectRoot: string; log: Logger }): Promise<void>;
  /**
   * What `bench status` shows about a live instance, as labelled values (e.g. a job's id and its
   * state asked of its scheduler now). Called with the recorded handle; may query the resource.
   */
  describe?(handle: Handle, ctx: { signal: AbortSignal; log: Logger; outDir: string; projectRoot: string }): Promise<Record<string, string>>;
  /**
   * The instance becomes a kept session (`bench up`): it must outlive the process that brought it
   * up, so whatever ties it to that process (an owner pid that leftover sweeps check) is released.
   */
  keep?(handle: Handle, ctx: { signal: AbortSignal; log: Logger; outDir: string; projectRoot: string }): Promise<void>;
}

export type TaskDef = ArtifactTaskDef | ResourceTaskDef;

/** What `benchfile.ts` exports as default. */
export interface Benchfile {
  tasks: TaskDef[];
}
