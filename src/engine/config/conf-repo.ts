import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostic.js';
import { didYouMean } from './suggest.js';
import { loadYamlSource } from './yaml-source.js';
import type { SourceLoc, YamlSource } from './yaml-source.js';

/** One entry of the primary config's defaults list. */
export type DefaultsEntry = { kind: 'self' } | { kind: 'group'; group: string; option: string | null; loc: SourceLoc };

/**
 * Read access to a project's `conf/` folder: its groups (sub-folders), their options (YAML files)
 * and the primary `config.yaml`. Files are parsed once and cached, because a sweep composes the
 * same files for every point.
 */
export class ConfRepo {
  readonly confDir: string;
  readonly exists: boolean;
  readonly groups: string[];
  private readonly cache = new Map<string, YamlSource | undefined>();

  constructor(root: string, readonly diagnostics: Diagnostic[]) {
    this.confDir = join(root, 'conf');
    this.exists = existsSync(join(this.confDir, 'config.yaml'));
    this.groups = this.exists
      ? readdirSync(this.confDir).filter((d) => statSync(join(this.confDir, d)).isDirectory()).sort()
      : [];
  }

  /** Option names of a group: its `*.yaml` files without the extension. */
  options(group: string): string[] {
    const dir = join(this.confDir, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
  }

  /** The parsed primary config (`conf/config.yaml`), or undefined after a syntax error. */
  primary(): YamlSource | undefined {
    return this.load(join(this.confDir, 'config.yaml'), 'conf/config.yaml');
  }

  /**
   * Loads a group option. An unknown option is reported (with what exists) at `loc`, where the
   * choice was made: the defaults list, an experiment or the command line.
   */
  option(group: string, option: string, loc: SourceLoc): { source: YamlSource; file: string } | undefined {
    const names = this.options(group);
    if (!names.includes(option)) {
      const hint = didYouMean(option, names);
      const message = this.groups.includes(group)
        ? `unknown option "${option}" for group ${group}`
        : `unknown config group "${group}"`;
      this.diagnostics.push({
        severity: 'error', message, keyPath: group, ...loc,
        expected: this.groups.includes(group) ? `one of ${names.join(', ')}` : `one of ${this.groups.join(', ')}`,
        found: option,
        ...(hint ? { hint } : {}),
      });
      return undefined;
    }
    const ext = existsSync(join(this.confDir, group, `${option}.yaml`)) ? 'yaml' : 'yml';
    const file = `conf/${group}/${option}.${ext}`;
    const source = this.load(join(this.confDir, group, `${option}.${ext}`), file);
    return source ? { source, file } : undefined;
  }

  /** The defaults list of `conf/config.yaml`; `_self_` goes last when not listed (Hydra 1.1+). */
  defaults(): DefaultsEntry[] {
    const primary = this.primary();
    const raw = (primary?.value as { defaults?: unknown } | null | undefined)?.defaults;
    const out: DefaultsEntry[] = [];
    if (raw !== undefined && !Array.isArray(raw)) {
      this.report('defaults must be a list', 'defaults', primary);
      return [{ kind: 'self' }];
    }
    (raw ?? []).forEach((item: unknown, i: number) => {
      if (item === '_self_') return out.push({ kind: 'self' });
      const pos = primary?.positions.get(`defaults.${i}`);
      const loc: SourceLoc = { file: 'conf/config.yaml', ...(pos ? { line: pos.line, column: pos.column } : {}) };
      const entries = typeof item === 'object' && item !== null ? Object.entries(item) : [];
      const [group, option] = entries[0] ?? [];
      if (entries.length !== 1 || group === undefined || (option !== null && typeof option !== 'string')) {
        this.report('a defaults entry is "_self_" or "group: option"', `defaults.${i}`, primary);
        return;
      }
      out.push({ kind: 'group', group, option: option as string | null, loc });
    });
    if (!out.some((e) => e.kind === 'self')) out.push({ kind: 'self' });
    return out;
  }

  private report(message: string, keyPath: string, src: YamlSource | undefined): void {
    const pos = src?.positions.get(keyPath);
    this.diagnostics.push({ severity: 'error', message, keyPath, file: 'conf/config.yaml', ...(pos ?? {}) });
  }

  private load(path: string, display: string): YamlSource | undefined {
    if (!this.cache.has(path)) this.cache.set(path, loadYamlSource(path, display, this.diagnostics));
    return this.cache.get(path);
  }
}
