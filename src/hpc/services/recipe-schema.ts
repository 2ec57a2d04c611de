/**
 * The `service` and `client` config groups: one union member per kind module (plus `none`), and
 * the check across both groups that a client loads the service that is deployed.
 */
import { z } from 'zod';
import { NoClientSchema, NoServiceSchema } from './kinds/none.js';
import type { KindSchema } from './kind.js';
import { CLIENT_KINDS, CLIENTS, SERVICE_KINDS, SERVICES } from './registry.js';

/** The config schemas of a kind list, keeping each one's type (for a precise union). */
type SchemasOf<T extends readonly { configSchema: KindSchema }[]> = { -readonly [K in keyof T]: T[K]['configSchema'] };
function schemasOf<T extends readonly { configSchema: KindSchema }[]>(list: T): SchemasOf<T> {
  return list.map((d) => d.configSchema) as SchemasOf<T>;
}

export const ServiceSchema = z.discriminatedUnion('kind', [NoServiceSchema, ...schemasOf(SERVICES)]);
export const ClientSchema = z.discriminatedUnion('kind', [NoClientSchema, ...schemasOf(CLIENTS)]);

/** A service recipe as validated: its kind's own keys are checked by the kind's schema. */
export type ServiceConfig = { kind: string; name?: string; port?: number } & Record<string, unknown>;
export type ClientConfig = { kind: string; service?: string; concurrency?: number } & Record<string, unknown>;

/** `service.kind` and `client.kind` for "expected one of" in diagnostics. */
export const SERVICE_DISCRIMINATORS: Readonly<Record<string, readonly string[]>> = { 'service.kind': SERVICE_KINDS, 'client.kind': CLIENT_KINDS };

/**
 * A client must load the deployed service: `client.service` names `service.name`, and a client
 * without a service has nothing to load. Reported at `client.service` / `client.kind`.
 */
export function checkClientTarget(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  const service = value['service'] as ServiceConfig | undefined;
  const client = value['client'] as ClientConfig | undefined;
  if (!client || typeof client !== 'object' || client.kind === 'none' || typeof client.kind !== 'string') return;
  if (!service || service.kind === 'none') {
    ctx.addIssue({ code: 'custom', path: ['client', 'kind'], message: `client ${client.kind} loads a service, but service is none`, params: { expected: 'a service (e.g. service=redis client=redis)' } });
    return;
  }
  if (typeof client.service === 'string' && typeof service.name === 'string' && client.service !== service.name) {
    ctx.addIssue({ code: 'custom', path: ['client', 'service'], message: `client loads service "${client.service}", but the service deployed is "${service.name}"`, params: { expected: `"${service.name}"` } });
  }
}
