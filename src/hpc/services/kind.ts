/**
 * What a service or client kind is: one module exporting its recipe schema, how to render its
 * SLURM job script, its health check (services) and how to parse its output into rows of
 * `client.arrow` (clients). The registry (`registry.ts`) is derived from the list of modules, so
 * adding a kind is one file under `kinds/` and one entry there.
 */
import type { z } from 'zod';
import type { ClientRow } from './client-row.js';

/** A zod object schema with a `kind` literal, as a discriminated union member needs. */
export type KindSchema = z.ZodType<{ kind: string }> & { shape: { kind: z.ZodLiteral<string> } };

/** Where a running service answers: the SLURM node it landed on and that node's address. */
export interface Endpoint {
  node: string;
  address: string;
  port: number;
}

/** How the service's process runs on the node. Only `host` is built: containers are not yet. */
export type Runtime = 'host';

export interface ServiceKind<C = Record<string, unknown>> {
  kind: string;
  configSchema: KindSchema;
  /** Debian packages the compute nodes need (for `.ci/run` and images). */
  packages: readonly string[];
  /**
   * The job script's commands, run after the preamble has made a per-job scratch directory, put
   * its path in `$D` and made it the working directory (bench removes it after the job). Every
   * recipe value must be quoted (`shellQuote`) or validated to a shape no shell reads specially.
   */
  renderScript(config: C): string;
  /** An argv run on the head host: exit 0 means the service answers at `endpoint`. */
  healthCommand(config: C, endpoint: Endpoint): string[];
}

export interface ClientKind<C = Record<string, unknown>> {
  kind: string;
  configSchema: KindSchema;
  packages: readonly string[];
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
