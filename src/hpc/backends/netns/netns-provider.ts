/**
 * Provider `netns`: real Linux hosts on this machine, one per topology host, each its own network
 * namespace on a bridge the provider creates (machine .1, hosts .2+), its own hostname (UTS), and
 * a private mount namespace (tmpfs /run, the schedulers' per-host dirs), reached over SSH with a
 * pinned host key — the same shape of `Cluster` as the libvirt provider, in a fraction of a second
 * per host. Everything `down` needs is in `Cluster.data` and in `<state_dir>/<id>.json`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { waitForSsh } from '../../remote/wait-ssh.js';
import type { HostState } from '../descriptor.js';
import { ownerAlive } from '../owner.js';
import type { BackendContext, Cluster, Host, Provider, Topology } from '../types.js';
import { netnsStateDir, readStates, stateWriter, type NetnsState } from './netns-state.js';
import { createBridge, createHostLinks, ensureSubnetFree, keygen, missingTools, perHostDirs, prepareHostFiles, sshdLog, startHost, waitListening, type StartedHost } from './netns-runtime.js';
import { clusterPids, destroyNetnsCluster } from './netns-teardown.js';
import { planNetns } from './plan-netns.js';

function str(config: Record<string, unknown>, key: string, dflt: string): string {
  const v = config[key];
  return typeof v === 'string' ? v : dflt;
}

/**
 * The per-host state the schedulers of this cluster need (`host_state`, from their descriptors),
 * passed in by whoever provisions: the provider knows no scheduler.
 */
function hostStateOf(config: Record<string, unknown>): Pick<NetnsState, 'hostState'> {
  const s = config['host_state'] as HostState | undefined;
  return s && Array.isArray(s.dirs) ? { hostState: { dirs: [...s.dirs], runDirs: [...(s.runDirs ?? [])] } } : {};
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('netns provider: cancelled during bring-up; torn down');
}

/** Keys, per-host files, namespaces and links, then each host's sshd; records PIDs as they come. */
async function createHosts(state: NetnsState, save: () => Promise<void>, signal: AbortSignal): Promise<{ keyPath: string; started: Map<string, StartedHost> }> {
  const keyPath = join(state.dir, 'client_ed25519');
  const authorizedKeys = join(state.dir, 'authorized_keys');
  const hostsFile = join(state.dir, 'hosts');
  await writeFile(authorizedKeys, `${await keygen(keyPath, 'bench-client')}\n`);
  await writeFile(hostsFile, ['127.0.0.1 localhost', ...state.hosts.map((h) => `${h.address} ${h.name}`), ''].join('\n'));
  await Promise.all(state.hosts.map(async (h) => { h.hostKey = await prepareHostFiles(h, authorizedKeys, perHostDirs(state)); }));
  await save();
  throwIfAborted(signal);
  await createBridge(state);
  await createHostLinks(state);
  throwIfAborted(signal);
  const started = new Map<string, StartedHost>();
  for (const h of state.hosts) {
    const s = await startHost(h, hostsFile, state);
    h.pid = s.pid;
    started.set(h.name, s);
    await save();
  }
  return { keyPath, started };
}

/** Every host's sshd answers with its pinned key, or the first failure with that sshd's own output. */
async function waitReady(state: NetnsState, opts: { keyPath: string; started: Map<string, StartedHost>; deadline: number; signal: AbortSignal }): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  // An SSH probe in flight does not watch the signal; racing this ends the wait at once.
  const stopped = new Promise<{ kind: 'stopped' }>((resolve) => stop.signal.addEventListener('abort', () => resolve({ kind: 'stopped' })));
  opts.signal.addEventListener('abort', onAbort);
  if (opts.signal.aborted) stop.abort();
  const seconds = Math.round((opts.deadline - Date.now()) / 1000);
  try {
    await Promise.all(state.hosts.map(async (h) => {
      const exited = (opts.started.get(h.name)?.exited ?? new Promise<never>(() => undefined)).then((code) => ({ kind: 'exited' as const, code }));
      await Promise.race([waitListening(h, opts.deadline, stop.signal), exited, stopped]);
      const r = await Promise.race([waitForSsh(h.address, 22, opts.keyPath, h.hostKey ?? '', opts.deadline, stop.signal), exited, stopped]);
      throwIfAborted(opts.signal);
      if (r.kind === 'ready') return;
      const why = r.kind === 'exited' ? `sshd exited (status ${String(r.code)}) before accepting connections`
        : r.kind === 'wrong-host-key' ? `${h.address} presented host key ${r.found}, not the one generated for ${h.name}`
          : r.kind === 'stopped' || stop.signal.aborted ? 'stopped because another host failed' : `sshd at ${h.address}:22 not ready within ${seconds} s (${r.error})`;
      throw new Error(`netns provider: ${h.name}: ${why}; sshd output:\n${await sshdLog(h)}`);
    }));
  } catch (e) {
    stop.abort();
    throw e;
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
  }
}

function toCluster(state: NetnsState, keyPath: string, scaledNote: string | undefined): Cluster {
  const hosts = state.hosts.map((h): Host => {
    const host: Host = { name: h.name, role: h.role, address: h.address, port: 22, user: 'root', cpus: h.cpus, memoryMiB: h.memoryMiB, gpus: h.gpus };
    if (h.hostKey) host.hostKey = h.hostKey;
    return host;
  });
  const cluster: Cluster = { provider: 'netns', hosts, clientKeyPath: keyPath, data: JSON.parse(JSON.stringify(state)) as Record<string, unknown> };
  if (scaledNote) cluster.scaledNote = scaledNote;
  return cluster;
}

async function up(topology: Topology, config: Record<string, unknown>, ctx: BackendContext): Promise<Cluster> {
  if (process.getuid?.() !== 0) throw new Error('netns provider: needs root (network namespaces, bridge, mounts)');
  const missing = await missingTools();
  if (missing.length) throw new Error(`netns provider: missing ${missing.join(', ')} (iproute2, util-linux, openssh-server)`);
  const started = Date.now();
  const id = randomBytes(3).toString('hex');
  const subnet = str(config, 'subnet', '10.77.0.0/24');
  const plan = planNetns(topology, {
    id, subnet, bridgePrefix: str(config, 'bridge', 'bnb'), scaleToHost: config['scale_to_host'] !== false,
    machine: { cpus: cpus().length, memoryMiB: Math.floor(totalmem() / 2 ** 20) },
  });
  if (plan.scaledNote) ctx.log.info(`netns: ${plan.scaledNote}`);
  await ensureSubnetFree(subnet);
  throwIfAborted(ctx.signal);
  const stateDir = netnsStateDir(config);
  const dir = join(stateDir, id);
  const state: NetnsState = {
    id, dir, stateFile: join(stateDir, `${id}.json`), bridge: plan.bridge, hostCidr: plan.hostCidr, prefix: plan.prefix,
    hosts: plan.hosts.map((h) => ({ ...h, dir: join(dir, h.name) })),
    owner: process.pid,
    ...hostStateOf(config),
  };
  // The whole plan is recorded before anything exists, so a crash at any point leaves a record
  // naming everything that might have been created.
  await mkdir(stateDir, { recursive: true });
  const save = stateWriter(state);
  await save();
  try {
    await mkdir(dir, { recursive: true });
    const { keyPath, started: hosts } = await createHosts(state, save, ctx.signal);
    const deadline = Date.now() + Number(config['ready_timeout_s'] ?? 30) * 1000;
    await waitReady(state, { keyPath, started: hosts, deadline, signal: ctx.signal });
    ctx.log.info(`netns: cluster ${id} up on ${plan.bridge} (${state.hosts.length} hosts, ${subnet}) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    return toCluster(state, keyPath, plan.scaledNote);
  } catch (e) {
    const left = await destroyNetnsCluster(state);
    if (left.length) ctx.log.warn(`netns: teardown after a failed bring-up left ${left.join('; ')}`);
    throw e;
  }
}

async function down(cluster: Cluster, ctx: BackendContext): Promise<void> {
  const state = cluster.data as unknown as NetnsState;
  const left = await destroyNetnsCluster(state);
  if (left.length) ctx.log.warn(`netns: cluster ${state.id}: ${left.join('; ')}`);
  else ctx.log.info(`netns: cluster ${state.id} destroyed (${state.hosts.length} hosts)`);
}

/** The netns provider: hosts as Linux namespaces on this machine, each with its own sshd. */
export const netnsProvider: Provider = { kind: 'netns', up, down, cleanupLeftovers: cleanupNetnsOrphans };

/** Clusters recorded in the state directory (`state_dir`, default `cache/netns`), live or half torn down. */
export function findNetnsLeftovers(config: Record<string, unknown> = {}): NetnsState[] {
  return readStates(netnsStateDir(config));
}

/** Destroys every leftover cluster; returns how many processes were still running in them. */
export async function cleanupNetnsLeftovers(config: Record<string, unknown> = {}, opts: { deadOwnersOnly?: boolean } = {}): Promise<number> {
  let running = 0;
  for (const s of findNetnsLeftovers(config)) {
    if (opts.deadOwnersOnly && ownerAlive(s.owner)) continue;
    running += clusterPids(s).length;
    await destroyNetnsCluster(s);
  }
  return running;
}

/** For the runner and `bench gc`: destroys clusters whose owning process is gone. */
export async function cleanupNetnsOrphans(config: Record<string, unknown>): Promise<string> {
  const orphans = findNetnsLeftovers(config).filter((s) => !ownerAlive(s.owner));
  if (!orphans.length) return '';
  const running = await cleanupNetnsLeftovers(config, { deadOwnersOnly: true });
  return `netns: destroyed ${orphans.length} leftover cluster(s) of dead bench processes (${running} processes were still running)`;
}
