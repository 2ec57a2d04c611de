/** The engine's composer with the domain's schema and sweep modes: what every command uses to read `conf/`. */
import { composeConfig } from '../../engine/config/compose.js';
import type { ComposeOptions } from '../../engine/config/compose.js';
import type { ComposedSweep } from '../../engine/config/sweep-point.js';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { mappedSweep } from './mapped-sweep.js';
import { REQUIRED_GROUPS, validateConfig } from './validate-config.js';
import { resolveTraceTopology } from '../workload/trace-topology.js';

/** Composes `conf/` and the overrides, checking every point against the bench config schema. */
export function composeBenchConfig(opts: Omit<ComposeOptions, 'validate' | 'sweepModes' | 'requiredGroups'>): { sweep: ComposedSweep; diagnostics: Diagnostic[] } {
  // topology=from_trace is filled in from each point's trace before the point is checked and hashed.
  const validate = (config: Record<string, unknown>, prov: Parameters<typeof validateConfig>[1]) => [...resolveTraceTopology(config, opts.root), ...validateConfig(config, prov)];
  const r = composeConfig({ ...opts, validate, sweepModes: { mapped: mappedSweep }, requiredGroups: REQUIRED_GROUPS });
  resolveTraceTopology(r.sweep.base, opts.root);
  return r;
}
