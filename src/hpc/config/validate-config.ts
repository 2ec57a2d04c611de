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

/**
 * Groups every point must choose: the pipeline's tasks read each of them, and a point without one
 * would only fail later, as a task crash instead of a config error.
 */
export const REQUIRED_GROUPS = ['topology', 'scheduler', 'workload', 'provider'] as const;

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
      if (!allowed) return { ...base, message: found.found ? 'wrong type' : 'missing key', expected: unionExpected(issue.errors), found: describe(found) };
      const hint = didYouMean(String(found.value), allowed);
      return { ...base, message: found.found ? 'unknown kind' : 'missing key', expected: `one of ${allowed.join(', ')}`, found: describe(found), ...(hint ? { hint } : {}) };
    }
    case 'too_small':
    case 'too_big':
      return { ...base, message: issue.code === 'too_small' ? 'too small' : 'too large', expected: boundText(issue), found: describe(found) };
    default:
      return { ...base, found: describe(found) };
  }
}

/** What each alternative of a union wanted: `string | number | boolean`. */
function unionExpected(alternatives: z.core.$ZodIssue[][]): string {
  const wanted = alternatives.flatMap((issues) => {
    const first = issues[0];
    if (!first) return [];
    if (first.code === 'invalid_type') return [first.expected];
    if (first.code === 'invalid_value') return first.values.map((v) => JSON.stringify(v));
    return [first.message];
  });
  return [...new Set(wanted)].join(' | ') || 'one of the allowed forms';
}

/** `an integer > 0`, `at most 65535`, `at least 1 item`: the bound, in words a user reads. */
function boundText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = small ? issue.minimum : issue.maximum;
  const inclusive = issue.inclusive ?? true;
  const op = small ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    return `${issue.origin === 'int' ? 'an integer' : 'a number'} ${op} ${String(bound)}`;
  }
  const unit = issue.origin === 'string' ? 'character' : 'item';
  return `${small ? 'at least' : 'at most'} ${String(bound)} ${unit}${Number(bound) === 1 ? '' : 's'}`;
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
