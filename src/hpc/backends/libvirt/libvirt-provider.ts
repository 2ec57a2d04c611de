/**
 * Provider `libvirt`: a VM per topology host from copy-on-write overlays of a built image,
 * configured by a per-VM seed disk, on a bridge the provider creates (host address .1, VMs .2+),
 * so every VM is reachable from the host and from each other on port 22 — the same shape of
 * `Cluster` as the netns provider. Two runtimes boot the same machine: `libvirt` creates transient
 * domains from `renderDomainXml` through the system libvirtd, `qemu` runs QEMU directly with
 * `renderQemuArgs`. Everything `down` needs is in `Cluster.data`.
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuiltImage } from '../../image/build-image.js';
import type { BackendContext, Cluster, Host, Provider, Topology } from '../types.js';
import { ownerAlive } from '../owner.js';
import { detectAccel } from './detect-accel.js';
import { kvmAccessWarning } from './kvm-access.js';
import { vmBudget } from './fits-budget.js';
import { planVms, type ClusterPlan } from './plan-vms.js';
import { renderDomainXml, renderQemuArgs, type VmBootOptions } from './render-domain-xml.js';
import { domainPidFile, ensureLibvirtd, startDomain, type StartedDaemon } from './virsh-runtime.js';
import { makeClientKey, makeSeed } from './vm-seed.js';
import { createBridge, createTap, destroyCluster, livePid, saveState, type ClusterState } from './vm-runtime.js';
import { waitForSsh } from '../../remote/wait-ssh.js';

/** Where live clusters are recorded so a later process finds leftovers. */
export function vmStateDir(config: Record<string, unknown>): string {
  if (typeof config['state_dir'] === 'string') return resolve(config['state_dir']);
  return resolve(typeof config['cache_dir'] === 'string' ? config['cache_dir'] : 'cache', 'vms');
}

function str(config: Record<string, unknown>, key: string, dflt: string): string {
  const v = config[key];
  return typeof v === 'string' ? v : dflt;
}

/** Per-VM readiness timings of the last `up`, for the benchmark. */
export interface VmTiming { name: string; sshReadySeconds: number }

async function bootVm(plan: ClusterPlan, i: number, ctx: { state: ClusterState; image: BuiltImage; boot: Omit<VmBootOptions, 'domainName' | 'overlay' | 'seed' | 'consoleLog'>; clientKey: string }): Promise<{ host: Host; started: number }> {
  const vm = plan.vms[i];
  if (!vm) throw new Error('bootVm: no such VM');
  const dir = ctx.state.dir;
  const domainName = `bench-${plan.id}-${vm.name}`;
  const overlay = join(dir, `${vm.name}.qcow2`);
  const img = await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', ctx.image.disk, overlay], { reject: false });
  if (img.exitCode !== 0) throw new Error(`qemu-img create overlay: ${img.stderr}`);
  const { seed, hostKey } = await makeSeed(dir, plan, vm, ctx.clientKey);
  const libvirt = ctx.state.runtime === 'libvirt';
  if (!libvirt) await createTap(vm.tap, plan.bridge);
  const pidFile = libvirt ? domainPidFile(domainName) : join(dir, `${vm.name}.pid`);
  ctx.state.vms.push({ name: vm.name, domainName, pidFile, tap: vm.tap });
  await saveState(ctx.state);
  const boot = { ...ctx.boot, domainName, overlay, seed, consoleLog: join(dir, `${vm.name}.console.log`) };
  const started = Date.now();
  const st = ctx.state.vms.find((v) => v.name === vm.name);
  if (libvirt) {
    const xmlPath = join(dir, `${vm.name}.xml`);
    await writeFile(xmlPath, renderDomainXml(vm, boot));
    const pid = await startDomain(domainName, xmlPath);
    if (st && pid) st.pid = pid;
  } else {
    const q = await execa('qemu-system-x86_64', renderQemuArgs(vm, { ...boot, pidFile }), { reject: false });
    if (q.exitCode !== 0) throw new Error(`qemu-system-x86_64 failed for ${vm.name}: ${q.stderr}`);
    if (st) st.pid = Number(readFileSync(pidFile, 'utf8').trim());
  }
  await saveState(ctx.state);
  const host: Host = {
    name: vm.name, role: vm.role, address: vm.address, port: 22, user: 'root',
    cpus: vm.declaredCpus, memoryMiB: vm.declaredMemoryMiB, gpus: vm.gpus, hostKey,
  };
  return { host, started };
}

/**
 * `libvirt` when asked (starting libvirtd if needed) or, for `auto`, when libvirtd already runs;
 * QEMU directly otherwise. Daemons started here go again with the cluster (see `destroyCluster`).
 */
async function chooseRuntime(requested: string, ctx: BackendContext): Promise<{ runtime: 'libvirt' | 'qemu'; started: StartedDaemon[] }> {
  if (requested === 'qemu') {
    ctx.log.info('libvirt: runtime qemu (QEMU directly, as configured)');
    return { runtime: 'qemu', started: [] };
  }
  const d = await ensureLibvirtd(requested === 'libvirt');
  if (d.ok) {
    ctx.log.info(`libvirt: runtime libvirt (${d.reason})`);
    const slow = await kvmAccessWarning();
    if (slow) ctx.log.warn(`libvirt: ${slow}`);
    return { runtime: 'libvirt', started: d.started };
  }
  if (requested === 'libvirt') throw new Error(`libvirt provider: runtime=libvirt but ${d.reason}`);
  ctx.log.info(`libvirt: runtime qemu (QEMU directly: ${d.reason})`);
  return { runtime: 'qemu', started: [] };
}

async function up(topology: Topology, config: Record<string, unknown>, ctx: BackendContext): Promise<Cluster> {
  const image = config['image'] as BuiltImage | undefined;
  if (!image?.disk) throw new Error('libvirt provider: config.image must be a built image (run image:build first)');
  const accel = detectAccel(str(config, 'accel', 'auto'));
  ctx.log.info(`libvirt: ${accel.reason}`);
  const id = randomBytes(3).toString('hex');
  const plan = planVms(topology, {
    id, subnet: str(config, 'subnet', '10.78.0.0/24'), scaleToHost: config['scale_to_host'] !== false,
    budget: vmBudget(config['budget'], { cpus: cpus().length, memoryMiB: totalmem() / 2 ** 20 }),
  });
  if (plan.scaledNote) ctx.log.info(`libvirt: ${plan.scaledNote}`);
  const { runtime, started } = await chooseRuntime(str(config, 'runtime', 'auto'), ctx);
  // QEMU's command line cannot pin vCPU threads (they exist only once it runs); libvirt does it.
  if (runtime === 'qemu' && config['pin_vcpus'] === true) ctx.log.warn('libvirt: pin_vcpus is applied by the libvirt runtime only; these VMs run unpinned');
  const stateDir = vmStateDir(config);
  const state: ClusterState = { id, runtime, dir: join(stateDir, id), bridge: plan.bridge, stateFile: join(stateDir, `${id}.json`), vms: [], owner: process.pid, startedDaemons: started };
  await mkdir(state.dir, { recursive: true });
  await saveState(state);
  const timings: VmTiming[] = [];
  // One VM failing stops the others' readiness polling too.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onAbort);
  try {
    const { keyPath, publicKey } = await makeClientKey(state.dir);
    await createBridge(plan.bridge, `${plan.hostAddress}/${plan.vms[0]?.prefix ?? 24}`);
    const boot = {
      accel: accel.accel, tcgCpuModel: str(config, 'tcg_cpu_model', 'qemu64'), cpuMode: str(config, 'cpu_mode', 'host-passthrough'),
      pinVcpus: config['pin_vcpus'] === true, hugepages: config['hugepages'] === true,
      kernel: image.kernel, initrd: image.initrd, cmdline: image.cmdline, bridge: plan.bridge,
    };
    const booted = await Promise.all(plan.vms.map((_, i) => bootVm(plan, i, { state, image, boot, clientKey: publicKey })));
    const deadline = Date.now() + Number(config['ready_timeout_s'] ?? 300) * 1000;
    await Promise.all(booted.map(async ({ host, started }) => {
      const r = await waitForSsh(host.address, 22, keyPath, host.hostKey ?? '', deadline, stop.signal);
      if (ctx.signal.aborted) throw new Error('cancelled');
      if (stop.signal.aborted) throw new Error('another VM failed');
      if (r.kind !== 'ready') throw new Error(`${host.name}: SSH not ready (${r.kind === 'wrong-host-key' ? `unexpected host key ${r.found}` : r.error}); console log in ${state.dir}`);
      timings.push({ name: host.name, sshReadySeconds: (Date.now() - started) / 1000 });
      ctx.log.info(`libvirt: ${host.name} SSH-ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }));
    const cluster: Cluster = {
      provider: 'libvirt', hosts: booted.map((b) => b.host), clientKeyPath: keyPath,
      data: { ...state, accel: accel.accel, accelReason: accel.reason, timings } as unknown as Record<string, unknown>,
    };
    if (plan.scaledNote) cluster.scaledNote = plan.scaledNote;
    return cluster;
  } catch (e) {
    stop.abort();
    await destroyCluster(state);
    throw e;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

async function down(cluster: Cluster, ctx: BackendContext): Promise<void> {
  const state = cluster.data as unknown as ClusterState;
  const daemons = await destroyCluster(state);
  ctx.log.info(`libvirt: cluster ${state.id} destroyed (${state.vms.length} VMs)`);
  if (daemons) ctx.log.info(daemons);
}

/** The libvirt/QEMU provider. */
export const libvirtProvider: Provider = { kind: 'libvirt', up, down, cleanupLeftovers: cleanupLibvirtOrphans };

/** Clusters recorded in the state directory (live or half torn down). */
export function findLeftovers(config: Record<string, unknown> = {}): ClusterState[] {
  const dir = vmStateDir(config);
  if (!existsSync(dir)) return [];
  const states: ClusterState[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    // State files are renamed into place, so a bad one is not ours half-written; skip it.
    try { states.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as ClusterState); } catch { continue; }
  }
  return states;
}

/** Destroys every leftover cluster; returns how many VMs were still running. */
export async function cleanupLeftovers(config: Record<string, unknown> = {}): Promise<number> {
  let running = 0;
  for (const s of findLeftovers(config)) {
    running += s.vms.filter((v) => livePid(v) !== undefined).length;
    await destroyCluster(s);
  }
  return running;
}

/** For the runner and `bench gc`: destroys clusters whose owning process is gone. */
export async function cleanupLibvirtOrphans(config: Record<string, unknown>): Promise<string> {
  const orphans = findLeftovers(config).filter((s) => !ownerAlive(s.owner));
  let running = 0;
  for (const s of orphans) {
    running += s.vms.filter((v) => livePid(v) !== undefined).length;
    await destroyCluster(s);
  }
  return orphans.length ? `libvirt: destroyed ${orphans.length} leftover cluster(s) of dead bench processes (${running} VMs were still running)` : '';
}
