/**
 * What a cluster leaves on this machine, read from /proc and `ip link`, for the integration tests
 * that check teardown: processes in a cluster's network namespaces, QEMU processes and links of a
 * VM cluster, and whether a process has exited.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Cluster } from '../../src/hpc/backends/types.js';
import { processRunning } from '../../src/engine/pid-alive.js';

/** Inode of each namespace of a netns cluster, to find the processes living in them. */
export function namespaceInodes(cluster: Cluster): Set<string> {
  const hosts = (cluster.data['hosts'] ?? []) as Array<{ netns: string }>;
  return new Set(hosts.map((h) => spawnSync('stat', ['-L', '-c', '%i', `/run/netns/${h.netns}`], { encoding: 'utf8' }).stdout.trim()).filter(Boolean));
}

export interface Proc { pid: number; comm: string; cmdline: string }

/** Exited: gone, or a zombie waiting for its parent (often init, which reaps slowly here). */
export function exited(pid: number): boolean {
  return !processRunning(pid);
}

/** Live (not zombie) processes whose network namespace is one of `inodes`. */
export function processesIn(inodes: Set<string>): Proc[] {
  const out: Proc[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ns = /\[(\d+)\]/.exec(readlinkSync(`/proc/${p}/ns/net`))?.[1];
      if (!ns || !inodes.has(ns) || exited(Number(p))) continue;
      out.push({ pid: Number(p), comm: readFileSync(`/proc/${p}/comm`, 'utf8').trim(), cmdline: readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/** PIDs of QEMU processes of VM cluster `id` (their command line names the domain). */
export function qemuPids(id: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`bench-${id}-`); } catch { return false; }
  }).map(Number);
}

/** Network links (bridge `bnb<id>`, taps `bnt<id>N`) of VM cluster `id` still present. */
export function links(id: string): string[] {
  const out = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout;
  return [...out.matchAll(/^\d+: ([^:@]+)/gm)].map((m) => m[1] ?? '').filter((n) => n.includes(id));
}

/** The PID of a process that has exited: what the ledger holds after a kill -9, or a returned `bench up`. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
}
