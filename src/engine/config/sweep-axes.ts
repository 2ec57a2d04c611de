import type { Diagnostic } from '../diagnostic.js';
import type { ConfigObject } from './tree.js';

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
 * A sweep mode the caller adds (`sweep.mode: NAME` in an experiment): it gets the product of the
 * params' axes and returns the combinations to compose, e.g. adding a key that a table in the
 * config assigns to each combination. Mistakes go to `diagnostics`.
 */
export type SweepMode = (
  combos: Assignment[][],
  ctx: {
    /** The base config (before the sweep), where such tables live. */
    base: ConfigObject;
    /** The option a group has outside the sweep (defaults, experiment, command line). */
    chosen: (group: string) => string | undefined;
    /** Whether the command line pins or sweeps `key` itself, so the mode must leave it alone. */
    isFixed: (key: string) => boolean;
    diagnostics: Diagnostic[];
  },
) => Assignment[][];
