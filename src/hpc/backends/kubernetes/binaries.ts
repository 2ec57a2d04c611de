/**
 * Where the control plane's binaries are: `tools/kubernetes/build.sh --check` names the build
 * cache's bin dir for the pinned versions (honouring BENCH_CACHE_DIR and XDG_CACHE_HOME). Runs
 * never build: a missing build is an error saying how to make it (CI builds before the tests).
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

/** The project's root, from this module's place in `src/` or `dist/`. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The build recipe and the files that ship with it. */
export const TOOLS_DIR = `${PROJECT_ROOT}tools/kubernetes`;

/** The bin dir of a complete build, or throws saying how to build one. */
export async function kubernetesBinDir(): Promise<string> {
  const r = await execa('bash', [`${TOOLS_DIR}/build.sh`, '--check'], { reject: false });
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  if (r.exitCode === 0 && dir) return dir;
  const key = await execa('bash', [`${TOOLS_DIR}/build.sh`, '--key'], { reject: false });
  throw new Error(`kubernetes: the control plane is not built (${key.stdout.trim() || 'unknown version key'}); run tools/kubernetes/build.sh once (about half an hour cold, from the Go module proxy) — runs never build it themselves`);
}

/** The Volcano version the build pins (its CRDs are under tools/kubernetes/crds/<version>/). */
export async function volcanoVersion(): Promise<string> {
  const key = (await execa('bash', [`${TOOLS_DIR}/build.sh`, '--key'], { reject: false })).stdout;
  const m = /_volcano-(v[0-9.]+)_/.exec(key);
  if (!m?.[1]) throw new Error(`kubernetes: cannot read the Volcano version from build.sh --key (${key.trim()})`);
  return m[1];
}
