/** The engine's composer with the domain's schema and sweep modes: what every command uses to read `conf/`. */
import { composeConfig } from '../../engine/config/compose.js';
import type { ComposeOptions } from '../../engine/config/compose.js';
import type { ComposedSweep } from '../../engine/config/sweep-point.js';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { mappedSweep } from './mapped-sweep.js';
import { REQUIRED_GROUPS, validateConfig } from './validate-config.js';
import { resolveTraceTopology } from '../workload/trace-topology.js';
import { checkTraceFile } from '../workload/check-trace.js';

/** Groups every point id names (`small-slurm-mixed-r0`), swept or not; other groups are named when swept. */
const ID_GROUPS = ['topology', 'scheduler', 'workload'] as const;
/** Named only when they choose something: the service and client tell service runs apart; `none` (no service) names nothing. */
const ID_GROUPS_UNLESS_NONE: readonly string[] = ['service', 'client'];
const idGroup = (group: string, option: string): boolean => (ID_GROUPS as readonly string[]).includes(group) || (ID_GROUPS_UNLESS_NONE.includes(group) && option !== 'none');

/** Composes `conf/` and the overrides, checking every point against the bench config schema. */
export function composeBenchConfig(opts: Omit<ComposeOptions, 'validate' | 'sweepModes' | 'requiredGroups' | 'idGroups'>): { sweep: ComposedSweep; diagnostics: Diagnostic[] } {
  // topology=from_trace is filled in from each point's trace before the point is checked and hashed.
  const validate = (config: Record<string, unknown>, prov: Parameters<typeof validateConfig>[1]) => {
    const found = [...resolveTraceTopology(config, opts.root), ...validateConfig(config, prov)];
    // The trace's records are checked once the config is sound, so a bad line fails planning (exit 2), not the run.
    return found.some((d) => d.severity === 'error') ? found : [...found, ...checkTraceFile(config, opts.root)];
  };
  const r = composeConfig({ ...opts, validate, sweepModes: { mapped: mappedSweep }, requiredGroups: REQUIRED_GROUPS, idGroups: idGroup });
  resolveTraceTopology(r.sweep.base, opts.root);
  return r;
}
