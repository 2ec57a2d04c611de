/**
 * The benchfile and the composed sweep, loaded together: all a run stamp is checked against, so
 * this module imports neither the cache database nor the planner (a stamped no-op needs neither).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBenchfile } from './load-benchfile.js';
import { loadSweep } from './load-sweep.js';

/** The loaded benchfile and composed sweep: what a run stamp is checked against before any graph is built. */
export interface ProjectSources {
  cacheDir: string;
  bf: Awaited<ReturnType<typeof loadBenchfile>>;
  sw: Awaited<ReturnType<typeof loadSweep>>;
}

/** Loads the benchfile and composes the sweep. */
export async function loadSources(root: string, overrides: string[]): Promise<ProjectSources> {
  const cacheDir = join(root, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const [bf, sw] = await Promise.all([loadBenchfile(root, cacheDir), loadSweep(root, overrides)]);
  return { cacheDir, bf, sw };
}
