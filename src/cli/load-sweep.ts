/**
 * The composed sweep for a command. Every override goes through the one composer, so every command
 * accepts the same grammar: with `conf/` the bench config schema checks each point
 * (`src/hpc/config/compose-bench.ts`); without it the overrides alone make the config, unchecked.
 * The composer (and the YAML parser and zod under it) is imported only when there is something
 * to compose: a project without `conf/` and without overrides gets its single point for free,
 * which keeps the no-op path of a plain task graph fast.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ComposedSweep } from '../engine/config/sweep-point.js';
import type { Diagnostic } from '../engine/diagnostic.js';
import { canonicalJson, sha256Hex } from '../engine/hash/canonical-json.js';

/** Composes the sweep; diagnostics with severity 'error' mean failure. */
export async function loadSweep(root: string, overrides: string[]): Promise<{ sweep: ComposedSweep; diagnostics: Diagnostic[] }> {
  if (existsSync(join(root, 'conf', 'config.yaml'))) {
    const { composeBenchConfig } = await import('../hpc/config/compose-bench.js');
    return composeBenchConfig({ root, overrides });
  }
  if (overrides.length > 0) {
    const { composeConfig } = await import('../engine/config/compose.js');
    return composeConfig({ root, overrides });
  }
  const point = { id: 'default-r0', rep: 0, config: {}, overrides: [], configHash: sha256Hex(canonicalJson({})), choices: {}, swept: {} };
  return { sweep: { base: {}, points: [point] }, diagnostics: [] };
}
