/**
 * Typed task definitions for the benchfile. The composer checks every sweep point against the
 * bench config schema and every required group, and the engine hands each task exactly the keys
 * it `reads`; so a task can get those keys with the schema's types instead of casting
 * `Record<string, unknown>` back (`as Topology`). The one cast from the engine's untyped slice to
 * the typed one is here, where that guarantee is known. Types only at run time: no schema loads.
 */
import type { SweepPoint } from '../../engine/config/sweep-point.js';
import type { ArtifactTaskDef, ResourceTaskDef, TaskContext } from '../../engine/graph/task-def.js';
import type { Config } from './schema.js';
import type { REQUIRED_GROUPS } from './validate-config.js';

/** A validated sweep point's config: the schema's type, with the groups every point must choose. */
export type BenchConfig = Config & Required<Pick<Config, (typeof REQUIRED_GROUPS)[number]>>;

/** The type at a dotted key path of `T` (`unknown` for a path the schema does not know). */
export type ConfigAt<T, P extends string> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof NonNullable<T> ? ConfigAt<NonNullable<T>[K], Rest> : unknown
  : P extends keyof NonNullable<T> ? NonNullable<T>[P] : unknown;

/** The config slice of a task reading `R`: each read key path with its schema type. */
export type ConfigSlice<R extends readonly string[]> = { [P in R[number]]: ConfigAt<BenchConfig, P> };

/** A sweep point whose config has the schema's type. */
export type BenchPoint = Omit<SweepPoint, 'config'> & { config: BenchConfig };

/** A task context whose `config` is the typed slice of the keys the task reads, and whose points are typed. */
export interface TypedTaskContext<R extends readonly string[]> extends Omit<TaskContext, 'config' | 'points'> {
  config: ConfigSlice<R>;
  points: BenchPoint[];
}

/** An artifact task whose `run` (and `inputsFrom`) get typed config. */
export type TypedArtifactDef<R extends readonly string[]> = Omit<ArtifactTaskDef, 'reads' | 'run' | 'inputsFrom'> & {
  reads: R;
  inputsFrom?(config: ConfigSlice<R>): string[];
  run(ctx: TypedTaskContext<R>): Promise<void>;
};

/** A resource task whose `up`, `down` and `exclusive` get typed config. */
export type TypedResourceDef<R extends readonly string[], Handle> = Omit<ResourceTaskDef<Handle>, 'reads' | 'up' | 'down' | 'exclusive' | 'inputsFrom'> & {
  reads: R;
  inputsFrom?(config: ConfigSlice<R>): string[];
  up(ctx: TypedTaskContext<R>): Promise<Handle>;
  down(handle: Handle, ctx: TypedTaskContext<R>): Promise<void>;
  exclusive?: boolean | ((config: ConfigSlice<R>) => string | boolean | undefined);
};

/**
 * Declares an artifact task with typed config:
 * `defineTask({ name: 'metrics', reads: ['topology'], async run(ctx) { ctx.config.topology.compute_nodes.count } })`.
 */
export function defineTask<const R extends readonly string[]>(def: TypedArtifactDef<R>): ArtifactTaskDef {
  return def as unknown as ArtifactTaskDef;
}

/** Declares a resource task with typed config (see `defineTask`). */
export function defineResource<const R extends readonly string[], Handle>(def: TypedResourceDef<R, Handle>): ResourceTaskDef<Handle> {
  return def as unknown as ResourceTaskDef<Handle>;
}
