/**
 * Service and client kinds, derived from the kind modules: a new kind is a module under `kinds/`
 * and one entry in a list here. The config schemas, the "expected one of" lists and the lookups
 * all come from these lists.
 */
import type { ClientKind, ServiceKind } from './kind.js';
import { inferenceClient } from './kinds/inference-load.js';
import { inferenceService } from './kinds/inference.js';
import { nginxService } from './kinds/nginx.js';
import { redisBenchmarkClient } from './kinds/redis-benchmark.js';
import { redisService } from './kinds/redis.js';
import { wrkClient } from './kinds/wrk.js';

export const SERVICES = [redisService, nginxService, inferenceService] as const;
export const CLIENTS = [redisBenchmarkClient, wrkClient, inferenceClient] as const;

/** Allowed `service.kind` / `client.kind` values (with `none`, the groups' default). */
export const SERVICE_KINDS: readonly string[] = ['none', ...SERVICES.map((s) => s.kind)];
export const CLIENT_KINDS: readonly string[] = ['none', ...CLIENTS.map((c) => c.kind)];

/** The service kind module, or a message naming the kinds there are. */
export function serviceKindFor(kind: string): ServiceKind | string {
  return SERVICES.find((s) => s.kind === kind) ?? `no service kind "${kind}" (expected one of ${SERVICES.map((s) => s.kind).join(', ')})`;
}

/** The client kind module, or a message naming the kinds there are. */
export function clientKindFor(kind: string): ClientKind | string {
  return CLIENTS.find((c) => c.kind === kind) ?? `no client kind "${kind}" (expected one of ${CLIENTS.map((c) => c.kind).join(', ')})`;
}
