/**
 * The partition a run on an existing SLURM submits to, and what is in it: `sinfo -N` lists
 * each node once per partition it belongs to, the default partition marked with `*`.
 */

/** Node, partition, long state, CPUs, memory (MiB), GRES. */
export const PARTITION_NODES_ARGV: readonly string[] = ['sinfo', '-N', '-h', '-o', '%N|%P|%T|%c|%m|%G'];

export interface PartitionNode {
  name: string;
  partition: string;
  isDefault: boolean;
  state: string;
  cpus: number;
  memoryMiB: number;
  gpus: number;
}

/** GPUs in a GRES string: `gpu:2`, `gpu:a100:4(S:0-1)`, `gpu:1,mps:100`, `(null)`. */
export function gpuCount(gres: string): number {
  let n = 0;
  for (const item of gres.split(/,(?![^()]*\))/)) {
    const parts = item.replace(/\(.*\)$/, '').split(':');
    if (parts[0] !== 'gpu') continue;
    const count = Number(parts[parts.length - 1]);
    n += parts.length > 1 && Number.isInteger(count) ? count : 1;
  }
  return n;
}

export function parsePartitionNodes(text: string): PartitionNode[] {
  const out: PartitionNode[] = [];
  for (const line of text.split('\n')) {
    const [name, partition, state, cpus, mem, ...gres] = line.trim().split('|');
    if (!name || !partition || state === undefined || cpus === undefined || mem === undefined) continue;
    out.push({
      name, partition: partition.replace(/\*$/, ''), isDefault: partition.endsWith('*'), state,
      cpus: Number(cpus) || 0, memoryMiB: Number(mem) || 0, gpus: gpuCount(gres.join('|')),
    });
  }
  return out;
}

/** What a run records about its partition. */
export interface PartitionSummary {
  name: string;
  nodes: number;
  cpus: number;
  memoryMiB: number;
  gpus: number;
  /** Node count per state, e.g. `{ idle: 2, drained: 1 }`. */
  states: Record<string, number>;
}

/** States in which a node takes no new work until an operator acts (or it comes back). */
const UNUSABLE = /^(down|drain|drained|draining|fail|failing|inval|maint|future|unknown|power)/;

/**
 * The partition named in config, else the cluster's default partition, summarised; or why none
 * can be used (unknown name, no default, every node out of service), naming what exists.
 */
export function choosePartition(nodes: readonly PartitionNode[], wanted: string | undefined): { partition: PartitionSummary } | { error: string } {
  const names = [...new Set(nodes.map((n) => `${n.partition}${n.isDefault ? ' (default)' : ''}`))];
  const listed = names.length ? names.join(', ') : 'none';
  const name = wanted ?? nodes.find((n) => n.isDefault)?.partition;
  if (name === undefined) return { error: `the cluster has no default partition; set scheduler.partition to one of: ${listed}` };
  const members = nodes.filter((n) => n.partition === name);
  if (!members.length) return { error: `partition ${name} ${wanted ? '(scheduler.partition) ' : ''}does not exist or has no nodes; partitions: ${listed}` };
  const states: Record<string, number> = {};
  for (const n of members) states[n.state] = (states[n.state] ?? 0) + 1;
  if (members.every((n) => UNUSABLE.test(n.state.replace(/[*~#!%$@^-]+$/, '')) || n.state.endsWith('*'))) {
    return { error: `partition ${name}: no node can run jobs (${Object.entries(states).map(([s, c]) => `${c} ${s}`).join(', ')})` };
  }
  const sum = (f: (n: PartitionNode) => number) => members.reduce((a, n) => a + f(n), 0);
  return { partition: { name, nodes: members.length, cpus: sum((n) => n.cpus), memoryMiB: sum((n) => n.memoryMiB), gpus: sum((n) => n.gpus), states } };
}
