/**
 * `sweep.mode: mapped`: each scheduler and workload of the sweep runs on the topology that
 * `scheduler_resource_mapping[scheduler][workload]` assigns, instead of on every topology. A
 * domain rule, so it lives here and reaches the engine's composer as a sweep mode.
 */
import type { Diagnostic } from '../../engine/diagnostic.js';
import type { Assignment, SweepMode } from '../../engine/config/sweep-axes.js';
import { isPlainObject } from '../../engine/config/tree.js';

export const mappedSweep: SweepMode = (combos, { base, chosen, isFixed, diagnostics }) => {
  // A topology pinned or swept on the command line wins over the mapping.
  if (isFixed('topology')) return combos;
  return addMappedTopology(combos, base.scheduler_resource_mapping, chosen, diagnostics);
};

/** Adds the mapped topology to each combination; a missing mapping entry is a located error. */
export function addMappedTopology(
  combos: Assignment[][],
  mapping: unknown,
  chosen: (group: string) => string | undefined,
  diagnostics: Diagnostic[],
): Assignment[][] {
  const out: Assignment[][] = [];
  for (const combo of combos) {
    const pick = (k: 'scheduler' | 'workload') => String(combo.find((a) => a.key === k)?.value ?? chosen(k));
    const [s, w] = [pick('scheduler'), pick('workload')];
    const row = isPlainObject(mapping) ? mapping[s] : undefined;
    const topo = isPlainObject(row) ? row[w] : undefined;
    if (typeof topo !== 'string') {
      diagnostics.push({
        severity: 'error', message: `scheduler_resource_mapping has no topology for scheduler ${s} and workload ${w}`,
        file: 'conf/config.yaml', keyPath: `scheduler_resource_mapping.${s}.${w}`, expected: 'a topology option name',
        found: topo === undefined ? 'nothing' : JSON.stringify(topo),
      });
      continue;
    }
    out.push([{ key: 'topology', value: topo }, ...combo.filter((a) => a.key !== 'topology')]);
  }
  return out;
}
