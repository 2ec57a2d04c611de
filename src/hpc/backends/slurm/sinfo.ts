/**
 * Node readiness from `sinfo`: every compute host registered, idle, and with the CPUs and
 * memory the topology declares.
 */
import type { Host } from '../types.js';

/** Node, long state, CPUs, memory (MiB), reason (for down/drained/invalid nodes). */
export const SINFO_ARGV: readonly string[] = ['sinfo', '-h', '-N', '-o', '%N|%T|%c|%m|%E'];

export interface NodeInfo {
  name: string;
  /** e.g. idle, mixed, allocated, down, drained, inval; `*` (not responding) kept as `responding: false`. */
  state: string;
  responding: boolean;
  cpus: number;
  memoryMiB: number;
  reason: string;
}

export function parseSinfo(text: string): NodeInfo[] {
  const nodes = new Map<string, NodeInfo>();
  for (const line of text.split('\n')) {
    const [name, state, cpus, mem, ...reason] = line.trim().split('|');
    if (!name || state === undefined || cpus === undefined || mem === undefined) continue;
    // A node in several partitions is listed once per partition.
    nodes.set(name, { name, state: state.replace(/[*~#!%$@^-]+$/, ''), responding: !state.endsWith('*'), cpus: Number(cpus), memoryMiB: Number(mem), reason: reason.join('|') });
  }
  return [...nodes.values()];
}

export interface Readiness {
  ready: boolean;
  /** Nodes not (yet) idle, each with SLURM's reason when it gives one. */
  waiting: string[];
  /** Differences from the declared topology: these do not go away by waiting. */
  mismatches: string[];
}

/** Compares sinfo's view with the compute hosts SLURM was told about. */
export function checkNodes(nodes: readonly NodeInfo[], computes: readonly Host[]): Readiness {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const waiting: string[] = [];
  const mismatches: string[] = [];
  for (const h of computes) {
    const n = byName.get(h.name);
    if (!n) {
      mismatches.push(`${h.name}: not known to slurmctld`);
      continue;
    }
    if (n.state !== 'idle' || !n.responding) waiting.push(`${h.name}: ${n.state}${n.responding ? '' : ' (not responding)'}${n.reason && n.reason !== 'none' ? ` — ${n.reason}` : ''}`);
    if (n.cpus !== h.cpus) mismatches.push(`${h.name}: ${n.cpus} CPUs, declared ${h.cpus}`);
    if (n.memoryMiB !== h.memoryMiB) mismatches.push(`${h.name}: ${n.memoryMiB} MiB, declared ${h.memoryMiB}`);
  }
  for (const n of nodes) if (!computes.some((h) => h.name === n.name)) mismatches.push(`${n.name}: a node no compute host declares`);
  return { ready: waiting.length === 0 && mismatches.length === 0, waiting, mismatches };
}

/** States a node leaves only by an operator's hand: waiting for them is pointless. */
export function isStuck(n: NodeInfo): boolean {
  return /^(inval|drain|drained|fail)/.test(n.state);
}
