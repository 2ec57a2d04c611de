/**
 * Pure planning of a netns cluster: host names (the simulator's: head1.., c1..), addresses on the
 * subnet, device and namespace names, and the note when declared sizes exceed the machine. Also
 * the subnet-in-use check over `ip -j addr`/`ip -j route` output, so it is testable without root.
 */
import type { Host, Topology } from '../types.js';

/** One host to create. */
export interface NetnsHostPlan {
  name: string;
  role: Host['role'];
  address: string;
  /** Network namespace name, unique on the machine (`bench-<id>-<host>`). */
  netns: string;
  /** Host side of the veth pair; the namespace side is `eth0`. */
  veth: string;
  cpus: number;
  memoryMiB: number;
  gpus: number;
}

/** A whole cluster's layout. */
export interface NetnsPlan {
  id: string;
  bridge: string;
  /** The machine's own address on the bridge, with prefix (`10.77.0.1/24`). */
  hostCidr: string;
  prefix: number;
  hosts: NetnsHostPlan[];
  scaledNote?: string;
}

export interface NetnsPlanOptions {
  /** Short hex id; device names are limited to 15 characters. */
  id: string;
  subnet: string;
  /** Bridge name prefix from the config (`bridge`); `bnb` when absent or too long. */
  bridgePrefix?: string;
  scaleToHost: boolean;
  machine: { cpus: number; memoryMiB: number };
}

/** Linux interface names are at most 15 bytes (IFNAMSIZ - 1). */
const IFNAMSIZ = 15;

/** Parses `a.b.c.d/p` to a network number and prefix; throws on nonsense (a config bug). */
export function parseCidr(cidr: string): { base: number; prefix: number } {
  const [addr, prefixText] = cidr.split('/');
  const octets = (addr ?? '').split('.').map(Number);
  const prefix = Number(prefixText ?? 32);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new Error(`bad subnet "${cidr}" (expected a.b.c.d/prefix)`);
  }
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: value - (value % 2 ** (32 - prefix)), prefix };
}

function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** True when two CIDRs share any address: the shorter prefix's network contains the other. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const p = Math.min(x.prefix, y.prefix);
  const block = 2 ** (32 - p);
  return Math.floor(x.base / block) === Math.floor(y.base / block);
}

function bridgeName(prefix: string | undefined, id: string): string {
  const p = prefix && /^[A-Za-z0-9_.]+$/.test(prefix) && prefix.length + 1 + id.length <= IFNAMSIZ ? prefix : 'bnb';
  return `${p}-${id}`;
}

/** Lays out the cluster; throws when the subnet cannot hold the hosts (a config mistake). */
export function planNetns(t: Topology, opts: NetnsPlanOptions): NetnsPlan {
  const { base, prefix } = parseCidr(opts.subnet);
  const roles: Array<{ role: Host['role']; name: string; spec: { vcpus: number; memory_gib: number }; gpus: number }> = [];
  for (let i = 0; i < t.head_nodes.count; i++) roles.push({ role: 'head', name: `head${i + 1}`, spec: t.head_nodes, gpus: 0 });
  for (let i = 0; i < t.compute_nodes.count; i++) roles.push({ role: 'compute', name: `c${i + 1}`, spec: t.compute_nodes, gpus: t.compute_nodes.gpus });
  // .0 is the network, .1 the machine, the last the broadcast address.
  if (roles.length + 3 > 2 ** (32 - prefix)) throw new Error(`subnet ${opts.subnet} is too small for ${roles.length} hosts`);
  const hosts = roles.map(({ role, name, spec, gpus }, i): NetnsHostPlan => ({
    name, role, address: formatIp(base + i + 2), netns: `bench-${opts.id}-${name}`, veth: `bnv${opts.id}${i}`.slice(0, IFNAMSIZ),
    cpus: spec.vcpus, memoryMiB: spec.memory_gib * 1024, gpus,
  }));
  const plan: NetnsPlan = { id: opts.id, bridge: bridgeName(opts.bridgePrefix, opts.id), hostCidr: `${formatIp(base + 1)}/${prefix}`, prefix, hosts };
  const note = scaledNote(hosts, opts.machine);
  if (note && opts.scaleToHost) plan.scaledNote = note;
  return plan;
}

/**
 * All hosts share one machine, so the honest comparison is the sum of declared sizes against it.
 * Undefined when the machine holds them.
 */
export function scaledNote(hosts: Array<{ cpus: number; memoryMiB: number }>, machine: { cpus: number; memoryMiB: number }): string | undefined {
  const cpus = hosts.reduce((s, h) => s + h.cpus, 0);
  const mem = hosts.reduce((s, h) => s + h.memoryMiB, 0);
  if (cpus <= machine.cpus && mem <= machine.memoryMiB) return undefined;
  return `declared sizes (${cpus} cpus, ${mem} MiB over ${hosts.length} hosts) exceed the real machine ` +
    `(${machine.cpus} cpus, ${machine.memoryMiB} MiB); SLURM will be told the declared sizes (config_overrides), ` +
    'and the hosts share the real cores and memory';
}

/** The slice of `ip -j addr` and `ip -j route` output the subnet check reads. */
export interface IpAddrEntry { ifname?: string; addr_info?: Array<{ family?: string; local?: string; prefixlen?: number }> }
export interface IpRouteEntry { dst?: string; dev?: string }

/** Why `subnet` cannot be used here (an address or route overlaps it), or undefined if free. */
export function subnetInUse(subnet: string, addrs: IpAddrEntry[], routes: IpRouteEntry[]): string | undefined {
  for (const a of addrs) {
    for (const i of a.addr_info ?? []) {
      if (i.family === 'inet' && i.local && cidrsOverlap(subnet, `${i.local}/${i.prefixlen ?? 32}`)) return `address ${i.local}/${i.prefixlen ?? 32} on ${a.ifname ?? '?'}`;
    }
  }
  for (const r of routes) {
    // The default route covers everything; it says nothing about this subnet being taken.
    if (!r.dst || r.dst === 'default') continue;
    const dst = r.dst.includes('/') ? r.dst : `${r.dst}/32`;
    if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(dst) && cidrsOverlap(subnet, dst)) return `route ${r.dst} via ${r.dev ?? '?'}`;
  }
  return undefined;
}
