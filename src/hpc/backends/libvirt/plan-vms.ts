/**
 * Pure planning of a cluster's VMs: names, addresses, MACs, device names and sizes, so the same
 * plan drives the domain XML, the QEMU command line and teardown.
 */
import type { Topology } from '../types.js';
import type { HostBudget } from './fits-budget.js';

/** One VM to boot. */
export interface VmPlan {
  name: string;
  role: 'head' | 'compute';
  /** Real size given to the VM. */
  vcpus: number;
  memoryMiB: number;
  /** Size the scheduler is told (the topology's). */
  declaredCpus: number;
  declaredMemoryMiB: number;
  gpus: number;
  address: string;
  prefix: number;
  mac: string;
  tap: string;
  /** First host core for this VM's vCPUs when pinning. */
  pinBase: number;
}

export interface ClusterPlan {
  id: string;
  bridge: string;
  hostAddress: string;
  vms: VmPlan[];
  scaledNote?: string;
}

export interface PlanOptions {
  /** Short unique id; device names are limited to 15 characters. */
  id: string;
  subnet: string;
  scaleToHost: boolean;
  budget: HostBudget;
}

/** Lays out the VMs of a topology on the subnet, scaling sizes to the budget when asked. */
export function planVms(t: Topology, opts: PlanOptions): ClusterPlan {
  const [base, prefixText] = opts.subnet.split('/');
  const octets = (base ?? '').split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o))) throw new Error(`bad subnet ${opts.subnet}`);
  const prefix = Number(prefixText ?? 24);
  const addr = (n: number): string => `${octets[0]}.${octets[1]}.${octets[2]}.${(octets[3] ?? 0) + n}`;
  const roles: Array<{ role: 'head' | 'compute'; spec: { vcpus: number; memory_gib: number; gpus?: number } }> = [];
  for (let i = 0; i < t.head_nodes.count; i++) roles.push({ role: 'head', spec: t.head_nodes });
  for (let i = 0; i < t.compute_nodes.count; i++) roles.push({ role: 'compute', spec: t.compute_nodes });
  const n = roles.length;
  const cpuCap = Math.max(1, Math.floor(opts.budget.cpus / n));
  const memCap = Math.max(256, Math.floor(opts.budget.memoryMiB / n));
  let scaled = false;
  let computeIndex = 0;
  const vms = roles.map(({ role, spec }, i) => {
    const declaredMemoryMiB = spec.memory_gib * 1024;
    const vcpus = opts.scaleToHost ? Math.min(spec.vcpus, cpuCap) : spec.vcpus;
    const memoryMiB = opts.scaleToHost ? Math.min(declaredMemoryMiB, memCap) : declaredMemoryMiB;
    if (vcpus !== spec.vcpus || memoryMiB !== declaredMemoryMiB) scaled = true;
    const name = role === 'head' ? (i === 0 ? 'head' : `head${i}`) : `c${++computeIndex}`;
    return {
      name, role, vcpus, memoryMiB, declaredCpus: spec.vcpus, declaredMemoryMiB, gpus: spec.gpus ?? 0,
      address: addr(i + 2), prefix,
      mac: `52:54:00:${opts.id.slice(0, 2)}:${opts.id.slice(2, 4)}:${(i + 2).toString(16).padStart(2, '0')}`,
      tap: `bnt${opts.id}${i}`.slice(0, 15), pinBase: (i * vcpus) % Math.max(1, opts.budget.cpus),
    } satisfies VmPlan;
  });
  const plan: ClusterPlan = { id: opts.id, bridge: `bnb${opts.id}`.slice(0, 15), hostAddress: addr(1), vms };
  if (scaled) {
    plan.scaledNote = `VMs scaled to the host budget (${opts.budget.cpus} cpus, ${opts.budget.memoryMiB} MiB for ${n} VMs): ` +
      vms.map((v) => `${v.name} ${v.vcpus}/${v.declaredCpus} vcpus ${v.memoryMiB}/${v.declaredMemoryMiB} MiB`).join(', ') +
      '; the scheduler is told the declared sizes';
  }
  return plan;
}
