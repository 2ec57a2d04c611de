/**
 * The effects of both runtimes: bridge and taps we create (named `bnb*`/`bnt*`, nothing else on
 * the host is touched), QEMU processes by PID, and their teardown from JSON alone. libvirt
 * creates and removes its domains' taps itself; teardown deletes them anyway in case libvirtd
 * is gone.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { destroyDomain, removeDomainLogs, stopIdleDaemons, type StartedDaemon } from './virsh-runtime.js';
import { processRunning } from '../../../engine/pid-alive.js';

/** What `down` needs about one VM, all JSON. */
export interface VmState {
  name: string;
  domainName: string;
  pidFile: string;
  pid?: number;
  tap: string;
}

/** What `down` needs about a cluster, all JSON: it is the Cluster's `data`. */
export interface ClusterState {
  id: string;
  /** `libvirt`: transient domains via virsh; `qemu`: QEMU processes we started. */
  runtime: 'qemu' | 'libvirt';
  dir: string;
  bridge: string;
  stateFile: string;
  vms: VmState[];
  /** PID of the bench process that brought the cluster up: while it lives, the cluster is not a leftover. */
  owner?: number;
  /** libvirt daemons started for this cluster, stopped with it when no other domain uses them. */
  startedDaemons?: StartedDaemon[];
}

async function ip(args: string[]): Promise<{ ok: boolean; err: string }> {
  const r = await execa('ip', args, { reject: false });
  return { ok: r.exitCode === 0, err: r.stderr };
}

/** Creates the cluster bridge with the host's address on it, so host and VMs share one L2. */
export async function createBridge(bridge: string, hostCidr: string): Promise<void> {
  // Two bridges with one subnet would route SSH to the wrong VMs (and fail the host-key check).
  const used = await execa('ip', ['-o', 'addr', 'show', 'to', hostCidr.split('/')[0] ?? ''], { reject: false });
  if (used.stdout.trim()) throw new Error(`subnet of ${hostCidr} is already in use on this host (${used.stdout.trim().split(/\s+/)[1] ?? '?'}); another cluster is up — set provider.subnet or tear it down`);
  for (const args of [['link', 'add', bridge, 'type', 'bridge'], ['addr', 'add', hostCidr, 'dev', bridge], ['link', 'set', bridge, 'up']]) {
    const r = await ip(args);
    if (!r.ok) throw new Error(`ip ${args.join(' ')}: ${r.err}`);
  }
}

export async function createTap(tap: string, bridge: string): Promise<void> {
  for (const args of [['tuntap', 'add', 'dev', tap, 'mode', 'tap'], ['link', 'set', tap, 'master', bridge], ['link', 'set', tap, 'up']]) {
    const r = await ip(args);
    if (!r.ok) throw new Error(`ip ${args.join(' ')}: ${r.err}`);
  }
}

/** Records the state atomically: another process may read it at any moment (leftover cleanup). */
export async function saveState(state: ClusterState): Promise<void> {
  // VMs boot concurrently, so each write needs its own temp name.
  const tmp = `${state.stateFile}.${process.pid}.${++saves}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2));
  await rename(tmp, state.stateFile);
}
let saves = 0;

/** Deletes a link if it exists; absent is fine (teardown is idempotent). */
export async function deleteLink(name: string): Promise<void> {
  await ip(['link', 'del', name]);
}

/** The PID of a VM's QEMU if that process is still the one we started (PIDs get reused). */
export function livePid(vm: VmState): number | undefined {
  let pid = vm.pid;
  if (pid === undefined && existsSync(vm.pidFile)) pid = Number(readFileSync(vm.pidFile, 'utf8').trim());
  if (!pid) return undefined;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes(vm.domainName) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitGone(pid: number, deadlineMs: number): Promise<boolean> {
  while (Date.now() < deadlineMs) {
    if (!processRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processRunning(pid);
}

/** Stops one VM: SIGTERM, then SIGKILL if it lingers (the disk is a throwaway overlay). */
export async function stopVm(vm: VmState): Promise<void> {
  const pid = livePid(vm);
  if (pid === undefined) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  if (await waitGone(pid, Date.now() + 3000)) return;
  try { process.kill(pid, 'SIGKILL'); } catch { return; }
  await waitGone(pid, Date.now() + 5000);
}

/** QEMU processes of a cluster found by name, for VMs killed before their PID was recorded. */
function strayPids(id: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`bench-${id}-`); } catch { return false; }
  }).map(Number);
}

/** Destroys everything a cluster state names; safe to call twice or on a partial state. Returns a note for the log. */
export async function destroyCluster(state: ClusterState): Promise<string> {
  if (state.runtime === 'libvirt') await Promise.all(state.vms.map((v) => destroyDomain(v.domainName)));
  await Promise.all(state.vms.map(stopVm));
  await Promise.all(strayPids(state.id).map((pid) => stopVm({ name: '', domainName: `bench-${state.id}-`, pidFile: '', pid, tap: '' })));
  for (const vm of state.vms) await deleteLink(vm.tap);
  // Taps created for a VM whose state was not yet recorded carry the cluster id too.
  const links = await execa('ip', ['-o', 'link', 'show'], { reject: false });
  for (const m of links.stdout.matchAll(new RegExp(`^\\d+: (bnt${state.id}\\d+)[:@]`, 'gm'))) if (m[1]) await deleteLink(m[1]);
  await deleteLink(state.bridge);
  if (state.runtime === 'libvirt') await removeDomainLogs(`bench-${state.id}-`);
  const daemons = await stopIdleDaemons(state.startedDaemons ?? []);
  await rm(state.dir, { recursive: true, force: true });
  await rm(state.stateFile, { force: true });
  return daemons;
}
