import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SweepPoint } from './sweep-point.js';

/** File name of a point's saved config, beside its results. */
export const POINT_CONFIG_FILE = 'config.yaml';

/**
 * Writes a point's resolved config and the overrides that produced it as `<dir>/config.yaml`, so any
 * result can be traced back to its exact config (`bench run` with those overrides reproduces it).
 * Written to a temp file and renamed, so a kill never leaves half a file. Returns the path.
 */
export function writePointConfig(dir: string, point: SweepPoint): string {
  mkdirSync(dir, { recursive: true });
  const body = {
    id: point.id,
    rep: point.rep,
    configHash: point.configHash,
    overrides: point.overrides,
    config: point.config,
  };
  const text = `# Resolved config of sweep point ${point.id}; reproduce it with: bench run ${point.overrides.map(quoteArg).join(' ')}\n${stringify(body)}`;
  const path = join(dir, POINT_CONFIG_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return path;
}

function quoteArg(s: string): string {
  return /^[\w.,=+~/:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
