/**
 * netns figures: `up` (to every sshd answering with its pinned key) and `down` (every process
 * gone, namespaces, veths and bridge deleted) for 3 hosts and 16 hosts, median of runs.
 * Needs root. Usage: npx tsx scripts/bench-netns.ts [--runs N] [--subnet 10.81.2.0/24]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netnsProvider } from '../src/hpc/backends/netns/netns-provider.js';
import type { Topology } from '../src/hpc/backends/types.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] ?? dflt : dflt;
};
const runs = Number(arg('--runs', '3')) || 3;
const subnet = arg('--subnet', '10.81.2.0/24');
const log = { info: () => undefined, warn: (m: string) => console.log(`  warn: ${m}`), debug: () => undefined };
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] ?? 0 : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2; };
const stateDir = mkdtempSync(join(tmpdir(), 'bench-netns-'));

async function measure(hosts: number): Promise<void> {
  const topology: Topology = { name: `bench-${hosts}`, head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: hosts - 1, vcpus: 1, memory_gib: 1, gpus: 0 } };
  const up: number[] = [];
  const down: number[] = [];
  for (let r = 0; r < runs; r++) {
    const ctx = { signal: new AbortController().signal, log, workDir: stateDir };
    let t = performance.now();
    const cluster = await netnsProvider.up(topology, { subnet, state_dir: stateDir }, ctx);
    up.push((performance.now() - t) / 1000);
    t = performance.now();
    await netnsProvider.down(cluster, ctx);
    down.push((performance.now() - t) / 1000);
  }
  console.log(`${String(hosts).padStart(2)} hosts: up ${median(up).toFixed(2)} s, down ${median(down).toFixed(2)} s (median of ${runs}; up runs ${up.map((x) => x.toFixed(2)).join(' ')})`);
}

try {
  for (const n of [3, 16]) await measure(n);
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}
