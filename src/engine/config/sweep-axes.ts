import type { Diagnostic } from '../diagnostic.js';
import { isPlainObject } from './tree.js';

/** One value given to one key (or group) at a sweep point. */
export interface Assignment {
  key: string;
  value: unknown;
}

/** A sweep dimension: its entries are alternatives; each entry sets one or more keys together. */
export type Axis = Assignment[][];

/** One axis per key: the cartesian product. */
export function productAxes(params: Record<string, unknown[]>): Axis[] {
  return Object.entries(params).map(([key, values]) => values.map((value) => [{ key, value }]));
}

/** One axis that walks every list in lockstep; lists must have equal lengths. */
export function zipAxis(params: Record<string, unknown[]>, diagnostics: Diagnostic[], where: string): Axis[] {
  const entries = Object.entries(params);
  if (entries.length === 0) return [];
  const n = entries[0]?.[1].length ?? 0;
  if (entries.some(([, v]) => v.length !== n)) {
    diagnostics.push({
      severity: 'error', message: 'zip sweep lists must have the same length', file: where, keyPath: 'sweep.params',
      found: entries.map(([k, v]) => `${k}: ${v.length}`).join(', '),
    });
    return [];
  }
  return [Array.from({ length: n }, (_, i) => entries.map(([key, values]) => ({ key, value: values[i] })))];
}

/** Every combination of one entry per axis, in axis order (the first axis varies slowest). */
export function expandAxes(axes: Axis[]): Assignment[][] {
  let combos: Assignment[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.map((entry) => [...c, ...entry]));
  return combos;
}

/**
 * `mode: mapped`: adds the topology that `scheduler_resource_mapping[scheduler][workload]` assigns
 * to each combination, so workloads are paired with cluster sizes instead of every size.
 */
export function addMappedTopology(
  combos: Assignment[][],
  mapping: unknown,
  fallback: { scheduler: string | undefined; workload: string | undefined },
  diagnostics: Diagnostic[],
): Assignment[][] {
  const out: Assignment[][] = [];
  for (const combo of combos) {
    const pick = (k: 'scheduler' | 'workload') => String(combo.find((a) => a.key === k)?.value ?? fallback[k]);
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
