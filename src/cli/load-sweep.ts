/**
 * The composed sweep for a run. Uses the config composer (`src/hpc/config/compose-bench.ts`) when the project has `conf/`;
 * without it, a single point `default-r0` whose config is built from the `key=value` overrides.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ComposedSweep } from '../engine/config/sweep-point.js';
import type { Diagnostic } from '../engine/diagnostic.js';
import { canonicalJson, sha256Hex } from '../engine/hash/canonical-json.js';

type Compose = (opts: { root: string; overrides: string[] }) => { sweep: ComposedSweep; diagnostics: Diagnostic[] };

/** Composes the sweep; diagnostics with severity 'error' mean failure. */
export async function loadSweep(root: string, overrides: string[]): Promise<{ sweep: ComposedSweep; diagnostics: Diagnostic[] }> {
  if (existsSync(join(root, 'conf'))) {
    const compose = await importCompose();
    return compose({ root, overrides });
  }
  return fallbackSweep(overrides);
}

// Loaded on demand: the schema (zod) is only needed once a sweep is composed.
async function importCompose(): Promise<Compose> {
  return (await import('../hpc/config/compose-bench.js')).composeBenchConfig;
}

/** One point from plain `a.b=value` overrides (values parsed as JSON when they are JSON). */
export function fallbackSweep(overrides: string[]): { sweep: ComposedSweep; diagnostics: Diagnostic[] } {
  const config: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq <= 0) {
      diagnostics.push({ severity: 'error', message: `override "${o}" is not key=value` });
      continue;
    }
    const parts = o.slice(0, eq).replace(/^\+/, '').split('.');
    let cur = config;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[parts[parts.length - 1] as string] = parseValue(o.slice(eq + 1));
  }
  const point = { id: 'default-r0', rep: 0, config, overrides, configHash: sha256Hex(canonicalJson(config)) };
  return { sweep: { base: config, points: [point] }, diagnostics };
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
