import type { Diagnostic } from '../diagnostic.js';
import type { ConfRepo, DefaultsEntry } from './conf-repo.js';
import { closestName } from './suggest.js';
import type { Override } from './overrides.js';
import { deepMerge, deletePath, getPath, isPlainObject, setPath } from './tree.js';
import type { ConfigObject } from './tree.js';
import type { Provenance, SourceLoc, YamlSource } from './yaml-source.js';

/** A group choice and where it was made (for locating "unknown option" errors). */
export interface Choice {
  option: string | null;
  loc: SourceLoc;
}

export const COMMAND_LINE: SourceLoc = { file: 'command line' };

/**
 * Composes one config, Hydra style: walk the defaults list in order, merging each chosen group
 * option under its group key (or at the root for `# @package _global_` files, e.g. experiments),
 * the primary file's own keys at `_self_`, then the key overrides in command-line order.
 */
export function composeOne(opts: {
  repo: ConfRepo;
  defaults: DefaultsEntry[];
  choices: Map<string, Choice>;
  overrides: Override[];
  diagnostics: Diagnostic[];
}): { config: ConfigObject; prov: Provenance } {
  const { repo, defaults, choices, diagnostics } = opts;
  const config: ConfigObject = {};
  const prov: Provenance = new Map();
  const order = [...defaults];
  for (const g of choices.keys()) {
    if (!defaults.some((e) => e.kind === 'group' && e.group === g)) order.push({ kind: 'group', group: g, option: null, loc: COMMAND_LINE });
  }
  for (const entry of order) {
    if (entry.kind === 'self') {
      const primary = repo.primary();
      if (primary) mergeSource(config, prov, primary, '', 'conf/config.yaml', diagnostics, ['defaults']);
      continue;
    }
    const choice = choices.get(entry.group);
    if (!choice || choice.option === null) continue;
    const loaded = repo.option(entry.group, choice.option, choice.loc);
    if (!loaded) continue;
    const prefix = loaded.source.global ? '' : entry.group;
    mergeSource(config, prov, loaded.source, prefix, loaded.file, diagnostics, ['defaults']);
  }
  for (const o of opts.overrides) applyOverride(config, prov, o, diagnostics, repo.exists);
  return { config, prov };
}

function mergeSource(
  config: ConfigObject,
  prov: Provenance,
  src: YamlSource,
  prefix: string,
  file: string,
  diagnostics: Diagnostic[],
  skip: string[],
): void {
  const value = src.value ?? {};
  if (!isPlainObject(value)) {
    diagnostics.push({ severity: 'error', message: 'a config file must hold a mapping', file, line: 1, column: 1, expected: 'a mapping', found: Array.isArray(value) ? 'a list' : typeof value });
    return;
  }
  const own = Object.fromEntries(Object.entries(value).filter(([k]) => !skip.includes(k)));
  if (prefix) {
    const cur = config[prefix];
    if (isPlainObject(cur)) deepMerge(cur, own);
    else config[prefix] = structuredClone(own);
    prov.set(prefix, { file, line: 1, column: 1 });
  } else deepMerge(config, own);
  for (const [path, pos] of src.positions) {
    if (skip.includes(path.split('.')[0] ?? '')) continue;
    prov.set(prefix ? `${prefix}.${path}` : path, { file, ...pos });
  }
}

/** Applies a non-sweep key override; sets of missing keys need `+` (Hydra's rule) once conf/ exists. */
export function applyOverride(config: ConfigObject, prov: Provenance, o: Override, diagnostics: Diagnostic[], strict: boolean): void {
  const err = (message: string, hint?: string) =>
    diagnostics.push({ severity: 'error', message, file: 'command line', keyPath: o.kind === 'zip' ? '' : o.key, found: o.text, ...(hint ? { hint } : {}) });
  if (o.kind === 'remove') {
    if (!deletePath(config, o.key)) err(`cannot remove ${o.key}: no such key`);
    return;
  }
  if (o.kind !== 'set') throw new Error(`bug: sweep override ${o.text} reached applyOverride`);
  const exists = getPath(config, o.key).found;
  if (o.mode === 'set' && !exists && strict) {
    const parentPath = o.key.split('.').slice(0, -1).join('.');
    const parent = parentPath ? getPath(config, parentPath).value : config;
    const near = isPlainObject(parent) ? closestName(o.key.split('.').pop() ?? '', Object.keys(parent)) : undefined;
    const hint = near ? `did you mean "${parentPath ? `${parentPath}.` : ''}${near}"? (use +${o.text} to add a new key)` : `use +${o.text} to add it`;
    return void err(`cannot override ${o.key}: no such key`, hint);
  }
  if (o.mode === 'add' && exists) return void err(`cannot add ${o.key}: it already exists`, `use ${o.text.slice(1)} to change it`);
  setPath(config, o.key, structuredClone(o.value));
  prov.set(o.key, COMMAND_LINE);
}

/**
 * Group choices made by the chosen options themselves: an experiment's own defaults list, Hydra
 * style (`- override /db: postgres`). Choices from the command line still win. One level deep.
 */
export function applyOptionDefaults(repo: ConfRepo, choices: Map<string, Choice>, fromCommandLine: Set<string>): void {
  for (const [group, choice] of [...choices]) {
    if (choice.option === null || !repo.options(group).includes(choice.option)) continue;
    const loaded = repo.option(group, choice.option, choice.loc);
    const raw = isPlainObject(loaded?.source.value) ? loaded.source.value.defaults : undefined;
    if (!loaded || !Array.isArray(raw)) continue;
    raw.forEach((item: unknown, i: number) => {
      const [key, option] = isPlainObject(item) ? (Object.entries(item)[0] ?? []) : [];
      const m = typeof key === 'string' ? /^(?:override\s+)?\/?([\w-]+)$/.exec(key.trim()) : null;
      const pos = loaded.source.positions.get(`defaults.${i}`);
      const loc: SourceLoc = { file: loaded.file, ...(pos ?? {}) };
      if (!m?.[1] || (option !== null && typeof option !== 'string')) {
        repo.diagnostics.push({ severity: 'error', message: 'a defaults entry here is "override /group: option"', keyPath: `defaults.${i}`, ...loc });
        return;
      }
      if (!fromCommandLine.has(m[1])) choices.set(m[1], { option: option as string | null, loc });
    });
  }
}
