import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BROWSER, LIBVIRT, missingSummary, NETNS, SLURM, VM } from './support/requirements.js';

/**
 * End-to-end tests run the built CLI (bin/bench.js -> dist/), so build it once per test run; and
 * say in one line up front which real-component tests this machine cannot run (each skipped file
 * also says why; under CI=true they fail instead).
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const summary = missingSummary({ 'namespaced hosts': NETNS, SLURM, VMs: VM, libvirt: LIBVIRT, 'the report in Chromium': BROWSER });
  if (summary) console.warn(summary);
}
