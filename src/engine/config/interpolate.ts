import type { Diagnostic } from '../diagnostic.js';
import { getPath, isPlainObject } from './tree.js';
import type { ConfigObject } from './tree.js';
import type { Provenance } from './yaml-source.js';

const REF = /\$\{([^}]*)\}/g;

/**
 * Resolves `${a.b.c}` (another key of the composed config) and `${env:VAR,default}` in every string
 * of `config`. A string that is exactly one reference takes the referenced value's type (so
 * `${server.workers.count}` stays a number); otherwise the reference is spliced in as text.
 * Cycles and missing keys become located diagnostics and leave the string as written.
 */
export function interpolate(
  config: ConfigObject,
  prov: Provenance,
  env: Record<string, string | undefined>,
  diagnostics: Diagnostic[],
): ConfigObject {
  const done = new Map<string, unknown>();
  const resolving: string[] = [];

  const resolvePath = (path: string): unknown => {
    if (done.has(path)) return done.get(path);
    const { found, value } = getPath(config, path);
    if (!found) return undefined;
    if (resolving.includes(path)) throw new CycleError([...resolving.slice(resolving.indexOf(path)), path]);
    resolving.push(path);
    try {
      const out = walk(value, path);
      done.set(path, out);
      return out;
    } finally {
      resolving.pop();
    }
  };

  const resolveRef = (expr: string, at: string): unknown => {
    if (expr.startsWith('env:')) {
      const [name, ...rest] = expr.slice(4).split(',');
      const v = env[(name ?? '').trim()];
      if (v !== undefined) return v;
      if (rest.length > 0) return rest.join(',');
      report(`environment variable ${name} is not set and has no default`, at);
      return `\${${expr}}`;
    }
    const key = expr.trim();
    if (!getPath(config, key).found) {
      report(`interpolation \${${key}} refers to a missing key`, at);
      return `\${${expr}}`;
    }
    return resolvePath(key);
  };

  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return resolveString(value, path);
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`));
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePath(path ? `${path}.${k}` : k) ?? v]));
    }
    return value;
  };

  const resolveString = (s: string, path: string): unknown => {
    const whole = /^\$\{([^}]*)\}$/.exec(s);
    if (whole) return resolveRef(whole[1] ?? '', path);
    if (!s.includes('${')) return s;
    return s.replace(REF, (_m, expr: string) => {
      const v = resolveRef(expr, path);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  };

  const report = (message: string, at: string): void => {
    const loc = prov.get(at);
    diagnostics.push({ severity: 'error', message, keyPath: at, ...(loc ?? {}) });
  };

  const out: ConfigObject = {};
  for (const k of Object.keys(config)) {
    try {
      out[k] = resolvePath(k);
    } catch (e) {
      if (!(e instanceof CycleError)) throw e;
      const first = e.cycle[0] ?? k;
      if (!diagnostics.some((d) => d.message.startsWith('interpolation cycle') && d.keyPath === first)) {
        report(`interpolation cycle: ${e.cycle.join(' -> ')}`, first);
      }
      out[k] = config[k];
    }
  }
  return out;
}

class CycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`cycle ${cycle.join(' -> ')}`);
  }
}
