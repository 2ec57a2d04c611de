/** SLURM 22.05's slurm.conf keys and sbatch options, shipped in data/slurm (derived from the 22.05 sources). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../../../../data/slurm/', import.meta.url));
export const CONF_KEYS_TSV = `${DIR}slurm.conf-keys-22.05.tsv`;
export const SBATCH_TSV = `${DIR}sbatch-options-22.05.tsv`;

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
