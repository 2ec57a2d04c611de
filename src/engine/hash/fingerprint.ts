/**
 * The fingerprint record of one task instance and its digest. The record is stored next to the
 * digest so that a miss can be explained field by field rather than as an opaque hash of hashes.
 */
import { canonicalJson, sha256Hex } from './canonical-json.js';

/** Everything that, when changed, makes a cached output stale. */
export interface Fingerprint {
  /** Task name: two tasks never share outputs. */
  task: string;
  /** Declared version: bumping it invalidates every cached output of the task. */
  version: string;
  /** The declared config slice (`reads` key path → value): a config edit reruns only readers. */
  config: Record<string, unknown>;
  /** Input file path (project-relative) → sha256 of its content: content, not mtime, decides. */
  inputs: Record<string, string>;
  /** Dependency TaskId → digest of its committed output: a byte-identical rerun changes nothing (early cutoff). */
  deps: Record<string, string>;
  /** Repetition index for `repeats` tasks: trials never share a cached output. */
  rep: number | null;
  /**
   * The code the task runs, module → digest of its minified text (project modules by path, the
   * bench library's as `bench:src/...`, packages as `npm:name` → version): an edited task or a
   * fixed simulator reruns what runs it, a comment or formatting edit reruns nothing. Shared by
   * every instance of a def (see `codeOfDefs`).
   */
  code: Record<string, string>;
}

// Every instance of a def shares one code record, so its text is made once.
const codeText = new WeakMap<Record<string, string>, string>();
function codeJson(code: Record<string, string>): string {
  let t = codeText.get(code);
  if (t === undefined) codeText.set(code, (t = canonicalJson(code)));
  return t;
}

/**
 * The canonical JSON of the record — the text stored in the cache and hashed for the digest —
 * identical to `canonicalJson(fp)` but built field by field in key order: the no-op check builds
 * one per task. Each task has a config slice object of its own and a no-op sees each task once,
 * so the slice's text is not cached (a cache keyed by slice only cost time there).
 */
export function fingerprintJson(fp: Fingerprint): string {
  return `{"code":${codeJson(fp.code)},"config":${canonicalJson(fp.config)},"deps":${canonicalJson(fp.deps)},"inputs":${canonicalJson(fp.inputs)},"rep":${canonicalJson(fp.rep)},"task":${JSON.stringify(fp.task)},"version":${JSON.stringify(fp.version)}}`;
}

/** sha256 of the canonical JSON of the record. */
export function fingerprintDigest(fp: Fingerprint): string {
  return sha256Hex(fingerprintJson(fp));
}

/** Why a task must run (or does not), in the kebab-case vocabulary shown by `--dry-run`. */
export type Reason =
  | { kind: 'up-to-date' }
  /** Not run: the same fingerprint was committed before (`finishedAt`) and that output was taken back. */
  | { kind: 'restored'; finishedAt: number }
  | { kind: 'new' }
  | { kind: 'forced' }
  | { kind: 'version-changed'; old: string; new: string }
  | { kind: 'config-changed'; keyPath: string; old: unknown; new: unknown }
  | { kind: 'input-changed'; file: string }
  /** `module` is the first changed module in key order (project, then `bench:`, then `npm:`). */
  | { kind: 'code-changed'; module: string; more: number }
  | { kind: 'dependency-changed'; dep: string }
  | { kind: 'output-missing' }
  | { kind: 'previous-failed' };

/** Finds the first difference between the last recorded fingerprint and the current one. */
export function explainMiss(old: Fingerprint, cur: Fingerprint): Reason | undefined {
  if (old.version !== cur.version) return { kind: 'version-changed', old: old.version, new: cur.version };
  const cfg = diffValues(old.config, cur.config, '');
  if (cfg) return { kind: 'config-changed', ...cfg };
  for (const file of new Set([...Object.keys(old.inputs), ...Object.keys(cur.inputs)])) {
    if (old.inputs[file] !== cur.inputs[file]) return { kind: 'input-changed', file };
  }
  const code = firstCodeChange(old.code, cur.code);
  if (code) return code;
  for (const dep of new Set([...Object.keys(old.deps), ...Object.keys(cur.deps)])) {
    if (old.deps[dep] !== cur.deps[dep]) return { kind: 'dependency-changed', dep };
  }
  if (old.rep !== cur.rep) return { kind: 'config-changed', keyPath: 'rep', old: old.rep, new: cur.rep };
  return undefined;
}

/** The changed modules of two code records; a record made before code was recorded names none. */
function firstCodeChange(old: Record<string, string> | undefined, cur: Record<string, string>): Reason | undefined {
  if (!old) return { kind: 'code-changed', module: '(code not recorded by the last run)', more: 0 };
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(old), ...Object.keys(cur)])) if (old[key] !== cur[key]) changed.push(key);
  if (!changed.length) return undefined;
  changed.sort((a, b) => codeRank(a) - codeRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'code-changed', module: changed[0] as string, more: changed.length - 1 };
}

// The task's own modules first, then the library's, then packages: the likeliest edit first.
function codeRank(key: string): number {
  return key.startsWith('npm:') ? 2 : key.includes(':') ? 1 : 0;
}

/** First differing dotted key path between two JSON values. */
export function diffValues(a: unknown, b: unknown, prefix: string): { keyPath: string; old: unknown; new: unknown } | undefined {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = diffValues(a[key], b[key], prefix ? `${prefix}.${key}` : key);
      if (d) return d;
    }
    return undefined;
  }
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  return { keyPath: prefix, old: a, new: b };
}

/** One line, e.g. `config-changed: scheduler.bf_window 10 → 50`. */
export function formatReason(r: Reason): string {
  switch (r.kind) {
    case 'config-changed':
      return `config-changed: ${r.keyPath} ${JSON.stringify(r.old) ?? 'unset'} → ${JSON.stringify(r.new) ?? 'unset'}`;
    case 'input-changed':
      return `input-changed: ${r.file}`;
    case 'dependency-changed':
      return `dependency-changed: ${r.dep}`;
    case 'code-changed':
      return `code-changed: ${r.module}${r.more ? ` (and ${r.more} more)` : ''}`;
    case 'version-changed':
      return `version-changed: ${r.old} → ${r.new}`;
    case 'restored':
      return `restored: the same fingerprint was committed at ${new Date(r.finishedAt).toISOString()}; its output was taken back`;
    default:
      return r.kind;
  }
}
