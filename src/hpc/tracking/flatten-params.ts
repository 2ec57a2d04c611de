/**
 * A sweep point's config as MLflow params: group choices first (`scheduler = slurm`), then every
 * leaf key by dotted path (`scheduler.SchedulerParameters.bf_window = 60`), lists as JSON. MLflow
 * bounds key and value lengths, so longer ones are cut and marked; the run's `config.yaml`
 * artifact keeps the full config.
 */
import { createHash } from 'node:crypto';
import type { MlflowParam } from './mlflow-client.js';

/**
 * Value limit: 500 characters is what every MLflow server accepts (newer ones take 6000), so a
 * run logs the same against old and new servers. Key limit: 250.
 */
export const PARAM_LIMITS = { key: 250, value: 500 } as const;
const CUT = '…[cut; see config.yaml]';

/** Keys a point's params never carry: the sweep definition, and tracking's own settings (not part of the result). */
const SKIPPED_ROOTS = new Set(['sweep', 'tracking']);

export interface FlattenedParams {
  params: MlflowParam[];
  /** Keys whose name or value had to be cut. */
  truncated: string[];
}

/** Flattens `config` after the group `choices`, in a stable order (choices as given, then keys sorted). */
export function flattenParams(config: Record<string, unknown>, choices: Record<string, string>, extra: Record<string, string | number> = {}): FlattenedParams {
  const raw: [string, string][] = [];
  for (const [group, option] of Object.entries(choices)) if (!SKIPPED_ROOTS.has(group)) raw.push([group, option]);
  for (const [k, v] of Object.entries(extra)) raw.push([k, String(v)]);
  const leaves: [string, string][] = [];
  for (const [k, v] of Object.entries(config)) if (!SKIPPED_ROOTS.has(k)) collect(k, v, leaves);
  leaves.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set(raw.map(([k]) => k));
  const truncated: string[] = [];
  const params: MlflowParam[] = [];
  for (const [key, value] of [...raw, ...leaves.filter(([k]) => !taken.has(k))]) {
    const p = limitParam(key, value);
    if (p.key !== key || p.value !== value) truncated.push(key);
    params.push(p);
  }
  return { params, truncated };
}

function collect(path: string, value: unknown, out: [string, string][]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.push([path, '{}']);
    for (const [k, v] of entries) collect(`${path}.${k}`, v, out);
    return;
  }
  out.push([path, typeof value === 'string' ? value : JSON.stringify(value) ?? 'null']);
}

/** Cuts a key (keeping it unique with a digest suffix) or a value to MLflow's limits. */
export function limitParam(key: string, value: string): MlflowParam {
  let k = key;
  if (k.length > PARAM_LIMITS.key) {
    const tag = `~${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    k = key.slice(0, PARAM_LIMITS.key - tag.length) + tag;
  }
  const v = value.length > PARAM_LIMITS.value ? value.slice(0, PARAM_LIMITS.value - CUT.length) + CUT : value;
  return { key: k, value: v };
}
