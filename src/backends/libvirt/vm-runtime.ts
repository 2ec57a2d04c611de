/**
 * The effects of the QEMU-direct path: bridge and taps we create (named `bnb*`/`bnt*`, nothing
 * else on the host is touched), QEMU processes by PID, and their teardown from JSON alone.
 */
import { execa } from 'execa';
import { readFileSync, existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { destroyDomain } from './virsh-runtime.js';

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
}

async function ip(args: string[]): Promise<{ ok: boolean; err: string }> {
  const r = await execa('ip', args, { reject: false });
  return { ok: r.exitCode === 0, err: r.stderr };
}

/** Creates the cluster bridge with the host's address on it, so host and VMs share one L2. */
export async function createBridge(bridge: string, hostCidr: string): Promise<void> {
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
  await writeFile(`${state.stateFile}.tmp`, JSON.stringify(state, null, 2));
  await rename(`${state.stateFile}.tmp`, state.stateFile);
}

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
    if (!existsSync(`/proc/${pid}`)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !existsSync(`/proc/${pid}`);
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

/** Destroys everything a cluster state names; safe to call twice or on a partial state. */
export async function destroyCluster(state: ClusterState): Promise<void> {
  if (state.runtime === 'libvirt') await Promise.all(state.vms.map((v) => destroyDomain(v.domainName)));
  await Promise.all(state.vms.map(stopVm));
  for (const vm of state.vms) await deleteLink(vm.tap);
  await deleteLink(state.bridge);
  await rm(state.dir, { recursive: true, force: true });
  await rm(state.stateFile, { force: true });
}
