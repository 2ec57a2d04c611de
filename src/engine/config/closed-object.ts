import { z } from 'zod';

/** Zod issue params carried by unknown-key issues, read back when issues become diagnostics. */
export interface UnknownKeyParams {
  unknownKey: true;
  /** Names that are allowed at that place, for the "did you mean" hint. */
  candidates: string[];
}

/**
 * An object schema that rejects keys outside `shape` plus `extraKeys`, reporting each unknown key at
 * its own path with the allowed names attached (zod's own `unrecognized_keys` issue points at the
 * parent, which would locate the error on the wrong line). `ignoreCase` is for formats whose
 * parser matches keys case-insensitively.
 */
export function closedObject<T extends z.core.$ZodLooseShape>(
  shape: T,
  opts: { extraKeys?: readonly string[]; ignoreCase?: boolean; label?: string } = {},
) {
  const names = [...Object.keys(shape), ...(opts.extraKeys ?? [])];
  const known = new Set(opts.ignoreCase ? names.map((n) => n.toLowerCase()) : names);
  return z.looseObject(shape).superRefine((value, ctx) => {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      if (known.has(opts.ignoreCase ? key.toLowerCase() : key)) continue;
      const params: UnknownKeyParams = { unknownKey: true, candidates: names };
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown ${opts.label ?? 'key'} "${key}"`, params });
    }
  }, ALWAYS);
}

/** Runs a refinement even when a field already failed, so every error is reported at once. */
export const ALWAYS = { when: (p: { value: unknown }) => isRecord(p.value) };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
