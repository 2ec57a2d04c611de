/**
 * What a service or client kind is: one module exporting its recipe schema, how to render its
 * SLURM job script, its health check (services) and how to parse its output into rows of
 * `client.arrow` (clients). The registry (`registry.ts`) is derived from the list of modules, so
 * adding a kind is one file under `kinds/` and one entry there.
 */
import type { z } from 'zod';
import type { ClientRow } from './client-row.js';
import type { ContainerImageSpec } from './container-image.js';

/** A zod object schema with a `kind` literal, as a discriminated union member needs. */
export type KindSchema = z.ZodType<{ kind: string }> & { shape: { kind: z.ZodLiteral<string> } };

/** Where a running service answers: the SLURM node it landed on and that node's address. */
export interface Endpoint {
  node: string;
  address: string;
  port: number;
}

/**
 * How a job's process runs on the node: `host` from the node's own packages, `podman` in a
 * container of the kind's image (host networking). A recipe without `runtime` gets `podman` when
 * its kind declares an image, else `host`.
 */
export type Runtime = 'host' | 'podman';

export interface ServiceKind<C = Record<string, unknown>> {
  kind: string;
  configSchema: KindSchema;
  /** Debian packages the compute nodes need to run it with `runtime: host` (for `.ci/run`). */
  packages: readonly string[];
  /** What its container image holds (`runtime: podman`); a kind without one runs on the host only. */
  image?: ContainerImageSpec;
  /**
   * The job script's commands, run after the preamble has made a per-job scratch directory, put
   * its path in `$D` and made it the working directory (bench removes it after the job). Every
   * recipe value must be quoted (`shellQuote`) or validated to a shape no shell reads specially.
   * With `runtime: podman` the same commands run inside the container, with `$D` mounted at the
   * same path.
   */
  renderScript(config: C): string;
  /** An argv run on the head host: exit 0 means the service answers at `endpoint`. */
  healthCommand(config: C, endpoint: Endpoint): string[];
}

export interface ClientKind<C = Record<string, unknown>> {
  kind: string;
  configSchema: KindSchema;
  packages: readonly string[];
  image?: ContainerImageSpec;
  /**
   * What one row of its `client.arrow` is: `request` (one per request: the load generator
   * records each) or `aggregate` (one per test or interval: it reports only summaries).
   */
  granularity: 'request' | 'aggregate';
  /** The job script's commands (same preamble as a service's); its stdout is what `parseOutput` reads. */
  renderScript(config: C, endpoint: Endpoint): string;
  /** Rows of `client.arrow` from the job's output, or a message saying what was missing. */
  parseOutput(output: string, config: C): ClientRow[] | string;
}

/** Declares a service kind with its config typed from its schema. */
export function defineServiceKind<S extends KindSchema>(def: Omit<ServiceKind<z.infer<S>>, 'configSchema'> & { configSchema: S }): ServiceKind & { configSchema: S } {
  return def as unknown as ServiceKind & { configSchema: S };
}

/** Declares a client kind with its config typed from its schema. */
export function defineClientKind<S extends KindSchema>(def: Omit<ClientKind<z.infer<S>>, 'configSchema'> & { configSchema: S }): ClientKind & { configSchema: S } {
  return def as unknown as ClientKind & { configSchema: S };
}

/** The runtime a recipe runs with: its own `runtime`, else podman when the kind has an image. */
export function runtimeOf(recipe: { runtime?: unknown }, kind: { image?: ContainerImageSpec }): Runtime {
  if (recipe.runtime === 'host' || recipe.runtime === 'podman') return recipe.runtime;
  return kind.image ? 'podman' : 'host';
}
