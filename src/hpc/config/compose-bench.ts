/** The engine's composer with the domain's schema: what every command uses to read `conf/`. */
import { composeConfig } from '../../engine/config/compose.js';
import type { ComposeOptions } from '../../engine/config/compose.js';
import type { ComposedSweep } from '../../engine/config/sweep-point.js';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { validateConfig } from './validate-config.js';

/** Composes `conf/` and the overrides, checking every point against the bench config schema. */
export function composeBenchConfig(opts: Omit<ComposeOptions, 'validate'>): { sweep: ComposedSweep; diagnostics: Diagnostic[] } {
  return composeConfig({ ...opts, validate: validateConfig });
}
