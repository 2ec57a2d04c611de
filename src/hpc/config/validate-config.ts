import type { z } from 'zod';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { ConfigSchema, DISCRIMINATORS } from './schema.js';
import { didYouMean } from '../../engine/config/suggest.js';
import { getPath } from '../../engine/config/tree.js';
import type { Provenance } from '../../engine/config/yaml-source.js';

/**
 * Validates a composed config and turns every zod issue into a located diagnostic: the key path
 * is looked up in the provenance map (the nearest written ancestor when the key itself is missing).
 */
export function validateConfig(config: Record<string, unknown>, prov: Provenance): Diagnostic[] {
  const result = ConfigSchema.safeParse(config);
  if (result.success) return [];
  return result.error.issues.map((issue) => issueToDiagnostic(issue, config, prov));
}

function issueToDiagnostic(issue: z.core.$ZodIssue, config: unknown, prov: Provenance): Diagnostic {
  const keyPath = issue.path.map(String).join('.');
  const loc = locate(keyPath, prov);
  const found = getPath(config, keyPath);
  const base: Diagnostic = { severity: 'error', message: issue.message, ...(loc ?? {}), ...(keyPath ? { keyPath } : {}) };
  const params = issue.code === 'custom' ? (issue.params as { unknownKey?: boolean; candidates?: string[]; expected?: string; severity?: 'warning' } | undefined) : undefined;
  if (params?.severity === 'warning') return { ...base, severity: 'warning' };
  if (params?.expected) return { ...base, expected: params.expected, found: describe(found) };
  if (params?.unknownKey) {
    const key = String(issue.path[issue.path.length - 1]);
    const hint = didYouMean(key, params.candidates ?? []);
    return { ...base, ...(hint ? { hint } : {}) };
  }
  switch (issue.code) {
    case 'invalid_type':
      return { ...base, message: found.found ? 'wrong type' : 'missing key', expected: issue.expected, found: describe(found) };
    case 'invalid_value':
      return { ...base, message: 'invalid value', expected: issue.values.map((v) => JSON.stringify(v)).join(' | '), found: describe(found) };
    case 'invalid_union': {
      const allowed = DISCRIMINATORS[keyPath];
      if (!allowed) return { ...base, message: 'invalid value', found: describe(found) };
      const hint = didYouMean(String(found.value), allowed);
      return { ...base, message: found.found ? 'unknown kind' : 'missing key', expected: `one of ${allowed.join(', ')}`, found: describe(found), ...(hint ? { hint } : {}) };
    }
    case 'too_small':
    case 'too_big':
      return { ...base, expected: issue.message.replace(/^Too (small|big): expected \w+ to (have )?/, ''), found: describe(found) };
    default:
      return { ...base, found: describe(found) };
  }
}

function describe(v: { found: boolean; value: unknown }): string {
  if (!v.found) return 'nothing';
  return typeof v.value === 'string' ? `"${v.value}"` : JSON.stringify(v.value) ?? String(v.value);
}

/** Location of a key path, or of its nearest ancestor that has one. */
export function locate(keyPath: string, prov: Provenance): { file: string; line?: number; column?: number } | undefined {
  const parts = keyPath ? keyPath.split('.') : [];
  for (let n = parts.length; n > 0; n--) {
    const loc = prov.get(parts.slice(0, n).join('.'));
    if (loc) return loc;
  }
  return undefined;
}
