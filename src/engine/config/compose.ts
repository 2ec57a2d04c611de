/**
 * Hydra-style composition of `conf/`: defaults list, group options, command-line overrides,
 * interpolation, validation and sweep expansion into `SweepPoint`s. Pure apart from reading the
 * conf files and the environment (for `${env:VAR,default}`); all user mistakes come back as
 * diagnostics, collected across every file and point, never thrown.
 *
 * Sweeps come from the experiment's `sweep: {mode, params}` (`product`, `zip`, or a mode the
 * caller adds with `sweepModes`) and from the command line: `key=a,b`, `key=range(0,10,2)`
 * (product with the rest) and `zip(a=1,2;b=x,y)` (lockstep). A plain command-line `key=value` on
 * a swept key pins it.
 */
import type { Diagnostic } from '../diagnostic.js';
import { applyOptionDefaults, COMMAND_LINE, composeOne } from './compose-one.js';
import type { Choice } from './compose-one.js';
import { ConfRepo } from './conf-repo.js';
import type { DefaultsEntry } from './conf-repo.js';
import { interpolate } from './interpolate.js';
import { mergePointDiagnostics } from './merge-point-diagnostics.js';
import { parseOverrides } from './overrides.js';
import type { Override } from './overrides.js';
import { assignmentText, hashConfig, pointIdParts, pointIdStem } from './point-id.js';
import { expandAxes, productAxes, zipAxis } from './sweep-axes.js';
import type { Assignment, Axis, SweepMode } from './sweep-axes.js';
import type { ComposedSweep, SweepPoint } from './sweep-point.js';
import { isPlainObject } from './tree.js';
import type { ConfigObject } from './tree.js';
import type { Provenance } from './yaml-source.js';

export interface ComposeOptions {
  /** Project root holding `conf/`. */
  root: string;
  /** Command-line overrides, in order. */
  overrides: string[];
  /** Environment for `${env:...}`; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Checks one composed point (the domain's schema); its diagnostics join the rest. */
  validate?: (config: Record<string, unknown>, prov: Provenance) => Diagnostic[];
  /** Sweep modes beyond the built-in `product` and `zip`, by the name an experiment gives in `sweep.mode`. */
  sweepModes?: Readonly<Record<string, SweepMode>>;
  /** Groups every point must choose an option of (checked only when `conf/` exists). */
  requiredGroups?: readonly string[];
  /**
   * Groups every point id names, swept or not (swept groups are always named); by default every
   * group with a chosen option. A domain keeps ids short by naming the groups that tell its runs apart.
   * A predicate may name a group only for some options (e.g. not for an option meaning "none").
   */
  idGroups?: readonly string[] | ((group: string, option: string) => boolean);
}

/** Composes the config and expands its sweep; `diagnostics` holds every error found, at once. */
export function composeConfig(opts: ComposeOptions): { sweep: ComposedSweep; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const env = opts.env ?? process.env;
  const repo = new ConfRepo(opts.root, diagnostics);
  const parsed = parseOverrides(opts.overrides, diagnostics);
  const defaults = repo.exists ? repo.defaults() : [];
  const isGroup = (k: string) => repo.groups.includes(k) || defaults.some((d) => d.kind === 'group' && d.group === k);

  const { choices, keyOverrides, cliSweeps, cliGroups } = classifyOverrides(parsed, defaults, isGroup, (g) => repo.options(g), diagnostics);
  applyOptionDefaults(repo, choices, cliGroups);

  const choicesWith = (extra: Assignment[]) => {
    const ch = new Map(choices);
    for (const a of extra) if (isGroup(a.key)) ch.set(a.key, { option: String(a.value), loc: COMMAND_LINE });
    return ch;
  };
  const composeWith = (extra: Assignment[], into: Diagnostic[]) => {
    const keyed = [...keyOverrides];
    for (const a of extra) if (!isGroup(a.key)) keyed.push({ kind: 'set', key: a.key, value: a.value, mode: 'set', text: assignmentText(a) });
    const { config, prov } = composeOne({ repo, defaults, choices: choicesWith(extra), overrides: keyed, diagnostics: into });
    return { config: interpolate(config, prov, env, into), prov };
  };

  const base = composeWith([], diagnostics).config;
  const pinned = new Set(parsed.filter((o) => o.kind === 'set').map((o) => o.key));
  const chosen = (g: string) => choices.get(g)?.option ?? undefined;
  const combos = sweepCombos({ base, cliSweeps, pinned, chosen, modes: opts.sweepModes ?? {} }, diagnostics);
  const groupOrder = [...defaults.flatMap((d) => (d.kind === 'group' ? [d.group] : [])), ...repo.groups];
  const cliTexts = parsed.filter((o) => o.kind === 'set' || o.kind === 'remove').map((o) => o.text);

  const points: SweepPoint[] = [];
  const perPoint: { stem: string; combo: Assignment[]; diagnostics: Diagnostic[] }[] = [];
  const stems = new Set<string>();
  for (const combo of combos) {
    const local: Diagnostic[] = [];
    const { config, prov } = composeWith(combo, local);
    delete config.sweep;
    if (repo.exists && opts.validate) local.push(...opts.validate(config, prov));
    if (repo.exists) local.push(...unchosen(opts.requiredGroups ?? [], choicesWith(combo), cliGroups));
    const reps = typeof config.repetitions === 'number' && config.repetitions > 0 ? config.repetitions : 1;
    const pointChoices = choiceRecord(choicesWith(combo));
    const ids = opts.idGroups;
    const named = Object.fromEntries(Object.entries(pointChoices).filter(([g, o]) => !ids || (typeof ids === 'function' ? ids(g, String(o)) : ids.includes(g))));
    const idParts = pointIdParts({ assignments: combo, groupOrder, named });
    let stem = pointIdStem(idParts);
    // Values that differ only in characters an id cannot hold would collide; keep ids unique.
    for (let n = 2; stems.has(stem); n++) stem = `${pointIdStem(idParts)}~${n}`;
    stems.add(stem);
    perPoint.push({ stem, combo, diagnostics: local });
    const configHash = hashConfig(config);
    const swept = Object.fromEntries(combo.filter((a) => !isGroup(a.key)).map((a) => [a.key, a.value]));
    for (let rep = 0; rep < reps; rep++) {
      points.push({
        id: `${stem}-r${rep}`, rep, config: structuredClone(config), overrides: [...cliTexts, ...combo.map(assignmentText)], configHash,
        choices: pointChoices, swept, idParts,
      });
    }
  }
  return { sweep: { base, points }, diagnostics: mergePointDiagnostics(diagnostics, perPoint) };
}

/** A required group without an option: said here, where it is known, rather than as a task crash. */
function unchosen(required: readonly string[], choices: Map<string, Choice>, cliGroups: Set<string>): Diagnostic[] {
  return required.filter((g) => (choices.get(g)?.option ?? null) === null).map((g) => ({
    severity: 'error', message: `no ${g} chosen`, file: cliGroups.has(g) ? 'command line' : 'conf/config.yaml', keyPath: g,
    expected: `a ${g} option (defaults list, experiment or ${g}=NAME)`, found: 'nothing',
  }));
}

/** The chosen option of every group that has one: what a point is, as data. */
function choiceRecord(choices: Map<string, Choice>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [group, c] of choices) if (c.option !== null) out[group] = c.option;
  return out;
}

/** Splits overrides into group choices, key overrides and sweeps; group choices start from the defaults list. */
function classifyOverrides(
  parsed: Override[],
  defaults: DefaultsEntry[],
  isGroup: (k: string) => boolean,
  optionsOf: (group: string) => string[],
  diagnostics: Diagnostic[],
) {
  const choices = new Map<string, Choice>();
  for (const d of defaults) if (d.kind === 'group') choices.set(d.group, { option: d.option, loc: d.loc });
  const keyOverrides: Override[] = [];
  const cliSweeps: Override[] = [];
  const cliGroups = new Set<string>();
  for (const o of parsed) {
    if (o.kind === 'sweep' || o.kind === 'zip') {
      cliSweeps.push(o);
      continue;
    }
    if (!isGroup(o.key)) keyOverrides.push(o);
    else if (o.kind === 'remove') choices.delete(o.key);
    else if (o.value === null || o.value === '') {
      // `db=` would silently drop the group and fail every task later; `~db` says it on purpose.
      diagnostics.push({
        severity: 'error', message: 'a config group needs an option', file: 'command line', keyPath: o.key, found: 'nothing',
        expected: `one of ${optionsOf(o.key).join(', ')}`, hint: `use ~${o.key} to drop the group`,
      });
    } else choices.set(o.key, { option: String(o.value), loc: COMMAND_LINE });
    if (isGroup(o.key)) cliGroups.add(o.key);
  }
  return { choices, keyOverrides, cliSweeps, cliGroups };
}

/** The sweep's combinations: experiment params (minus pinned keys) overlaid by command-line sweeps. */
function sweepCombos(
  input: {
    base: ConfigObject;
    cliSweeps: Override[];
    pinned: Set<string>;
    chosen: (group: string) => string | undefined;
    modes: Readonly<Record<string, SweepMode>>;
  },
  diagnostics: Diagnostic[],
): Assignment[][] {
  const { base, cliSweeps, pinned } = input;
  const sweep = isPlainObject(base.sweep) ? base.sweep : {};
  const mode = typeof sweep.mode === 'string' ? sweep.mode : 'product';
  const cliKeys = new Set(cliSweeps.flatMap((o) => (o.kind === 'sweep' ? [o.key] : o.kind === 'zip' ? o.params.map((p) => p.key) : [])));
  const params: Record<string, unknown[]> = {};
  if (isPlainObject(sweep.params)) {
    for (const [k, v] of Object.entries(sweep.params)) {
      if (pinned.has(k) || cliKeys.has(k)) continue;
      if (Array.isArray(v)) params[k] = v;
      else diagnostics.push({ severity: 'error', message: 'a sweep param takes a list of values', keyPath: `sweep.params.${k}`, expected: 'a list', found: JSON.stringify(v) });
    }
  }
  let axes: Axis[] = mode === 'zip' ? zipAxis(params, diagnostics, 'experiment') : productAxes(params);
  for (const o of cliSweeps) {
    if (o.kind === 'sweep') axes.push(o.values.map((value) => [{ key: o.key, value }]));
    else if (o.kind === 'zip') axes = [...axes, ...zipAxis(Object.fromEntries(o.params.map((p) => [p.key, p.values])), diagnostics, 'command line')];
  }
  const combos = expandAxes(axes);
  const custom = Object.hasOwn(input.modes, mode) ? input.modes[mode] : undefined;
  return custom ? custom(combos, { base, chosen: input.chosen, isFixed: (k) => pinned.has(k) || cliKeys.has(k), diagnostics }) : combos;
}
