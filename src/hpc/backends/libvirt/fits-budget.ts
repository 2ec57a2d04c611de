/**
 * Host capacity, decided purely: which clusters can be up at the same time. The integrator runs
 * each batch after the previous one is torn down.
 */
import type { Topology } from '../types.js';

/** What the host can give to VMs at once. */
export interface HostBudget {
  cpus: number;
  memoryMiB: number;
}

/** The host resources one cluster's VMs take. */
export function clusterDemand(t: Topology): HostBudget {
  return {
    cpus: t.head_nodes.count * t.head_nodes.vcpus + t.compute_nodes.count * t.compute_nodes.vcpus,
    memoryMiB: (t.head_nodes.count * t.head_nodes.memory_gib + t.compute_nodes.count * t.compute_nodes.memory_gib) * 1024,
  };
}

export interface BudgetPlan {
  /** True when every cluster fits at once. */
  together: boolean;
  /** Clusters grouped into batches that fit; run the batches one after the other. */
  batches: Topology[][];
  /** Names of clusters larger than the whole budget: they need `scale_to_host` to run at all. */
  needScaling: string[];
}

/** Groups clusters, in order, into consecutive batches that fit the budget. */
export function fitsBudget(topologies: Topology[], budget: HostBudget): BudgetPlan {
  const batches: Topology[][] = [];
  const needScaling: string[] = [];
  let current: Topology[] = [];
  let used: HostBudget = { cpus: 0, memoryMiB: 0 };
  for (const t of topologies) {
    const d = clusterDemand(t);
    if (d.cpus > budget.cpus || d.memoryMiB > budget.memoryMiB) {
      needScaling.push(t.name);
      if (current.length > 0) batches.push(current);
      batches.push([t]);
      current = [];
      used = { cpus: 0, memoryMiB: 0 };
      continue;
    }
    if (used.cpus + d.cpus > budget.cpus || used.memoryMiB + d.memoryMiB > budget.memoryMiB) {
      batches.push(current);
      current = [];
      used = { cpus: 0, memoryMiB: 0 };
    }
    current.push(t);
    used = { cpus: used.cpus + d.cpus, memoryMiB: used.memoryMiB + d.memoryMiB };
  }
  if (current.length > 0) batches.push(current);
  return { together: batches.length <= 1, batches, needScaling };
}

/**
 * What the VMs of one cluster may take, from the config's `budget` (`cpus` and `memory_gib`,
 * each a number or `auto`). `auto` is this machine's cores and half its memory, leaving the
 * other half to the host and QEMU itself.
 */
export function vmBudget(budget: unknown, host: { cpus: number; memoryMiB: number }): HostBudget {
  const b = (budget && typeof budget === 'object' ? budget : {}) as Record<string, unknown>;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);
  const memoryGib = num(b['memory_gib']);
  return {
    cpus: Math.floor(num(b['cpus']) ?? host.cpus),
    memoryMiB: Math.floor(memoryGib !== undefined ? memoryGib * 1024 : num(b['memory_mib']) ?? host.memoryMiB / 2),
  };
}
