/** The SLURM 22.05 reference lists in /work/shared/schemas (derived from the 22.05 sources), when present. */
import { existsSync, readFileSync } from 'node:fs';

const DIR = '/work/shared/schemas/slurm/derived';
export const CONF_KEYS_TSV = `${DIR}/slurm.conf-keys-22.05.tsv`;
export const SBATCH_TSV = `${DIR}/sbatch-options-22.05.tsv`;
export const haveSchemas = existsSync(CONF_KEYS_TSV) && existsSync(SBATCH_TSV);

function rows(path: string): string[][] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).slice(1).map((l) => l.split('\t'));
}

/** Documented slurm.conf keys by scope (global, NodeName, PartitionName...), lower-cased. */
export function confKeys(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [scope, key, , , documented] of rows(CONF_KEYS_TSV)) {
    if (!scope || !key || documented !== 'yes') continue;
    if (!out.has(scope)) out.set(scope, new Set());
    out.get(scope)?.add(key.toLowerCase());
  }
  return out;
}

/** sbatch long options and whether each takes a value. */
export function sbatchOptions(): Map<string, string> {
  return new Map(rows(SBATCH_TSV).map(([long, , arg]) => [long ?? '', arg ?? '']));
}
