/**
 * `cluster:provision` and `scheduler:configure`: live resources. They come up only when a
 * dependent workload run must execute, are shared, and are torn down after the last one.
 */
import { defineResource } from 'bench';
import type { Cluster } from 'bench';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failUnless, onlyDep, readJson } from './io.js';

/**
 * What a real cluster occupies: its provider's address space (a subnet, or the existing hosts).
 * The cluster and the scheduler on it hold this lock, so workload runs on real hosts go one at a
 * time and clusters on one subnet come up one after the other; the simulator holds none. VMs
 * also take the host's cores and memory, and each cluster is scaled to fit the whole host
 * budget, so VM clusters come up one after the other whatever their subnets.
 */
export function clusterLock(provider: unknown): string | undefined {
  const p = (provider ?? {}) as { kind?: string; subnet?: string; hosts?: string[] };
  if (!p.kind || p.kind === 'sim') return undefined;
  if (p.kind === 'libvirt') return 'libvirt:host';
  return `${p.kind}:${p.subnet ?? (p.hosts ?? []).join(',')}`;
}

function backendContext(ctx: { signal: AbortSignal; log: import('bench').Logger; outDir: string }) {
  return { signal: ctx.signal, log: ctx.log, workDir: ctx.outDir };
}

export const clusterProvision = defineResource({
  kind: 'resource',
  name: 'cluster:provision',
  version: 1,
  description: 'Bring up the hosts of the topology (simulated, network namespaces, VMs or existing hosts)',
  needs: ['image:build'],
  reads: ['provider', 'topology', 'budget'],
  exclusive: (config) => clusterLock(config['provider']),
  async up(ctx) {
    const { hostStateFor, providerFor } = await import('bench/backends');
    const providerConfig = ctx.config.provider;
    const provider = failUnless(await providerFor(providerConfig.kind));
    const image = await readJson<Record<string, unknown>>(onlyDep(ctx.deps, 'image:build').dir, 'image.json');
    // Per-host folders of the schedulers built for this provider, from their descriptors.
    const hostState = hostStateFor(providerConfig.kind);
    const config = { ...providerConfig, image, budget: ctx.config['budget'], cache_dir: join(ctx.projectRoot, 'cache'), host_state: hostState };
    // A kill -9 during an earlier `up` leaves a cluster the ledger never got a handle for.
    const cleaned = await provider.cleanupLeftovers?.(config);
    if (cleaned) ctx.log.info(cleaned);
    return provider.up(ctx.config.topology, config, backendContext(ctx));
  },
  async down(cluster, ctx) {
    const { providerFor } = await import('bench/backends');
    const provider = failUnless(await providerFor(cluster.provider));
    await provider.down(cluster, backendContext(ctx));
  },
  async describe(cluster) {
    return { provider: cluster.provider, hosts: cluster.hosts.map((h) => `${h.name}(${h.role}) ${h.address}${h.port ? `:${h.port}` : ''}`).join(', ') };
  },
  async keep(cluster) {
    // A netns cluster whose recorded owner is dead is a leftover to every later bring-up and to
    // gc. A kept one belongs to no process: its owner becomes PID 1, which never exits, and only
    // its down (bench down) destroys it. Other providers tie nothing to the process.
    const stateFile = cluster.provider === 'netns' ? (cluster.data as { stateFile?: unknown }).stateFile : undefined;
    if (typeof stateFile !== 'string') return;
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, unknown>;
    await writeFile(`${stateFile}.keep.tmp`, JSON.stringify({ ...state, owner: 1 }, null, 2));
    await rename(`${stateFile}.keep.tmp`, stateFile);
  },
  async cleanupLeftovers(ctx) {
    const { providerFor, PROVIDER_KINDS } = await import('bench/backends');
    for (const kind of PROVIDER_KINDS) {
      const provider = await providerFor(kind);
      if (typeof provider === 'string' || !provider.cleanupLeftovers) continue;
      const cleaned = await provider.cleanupLeftovers({ cache_dir: join(ctx.projectRoot, 'cache') });
      if (cleaned) ctx.log.info(cleaned);
    }
  },
});

export const schedulerConfigure = defineResource({
  kind: 'resource',
  name: 'scheduler:configure',
  version: 1,
  description: 'Configure and start the scheduler on the cluster',
  needs: ['cluster:provision'],
  reads: ['scheduler', 'provider'],
  exclusive: (config) => clusterLock(config['provider']),
  async up(ctx) {
    const { schedulerFor } = await import('bench/backends');
    const config = ctx.config.scheduler;
    const providerKind = ctx.config.provider.kind;
    const scheduler = failUnless(await schedulerFor(providerKind, config.kind));
    const cluster = onlyDep(ctx.deps, 'cluster:provision').handle as Cluster;
    return scheduler.configure(cluster, config, backendContext(ctx));
  },
  async down(handle, ctx) {
    const { schedulerFor } = await import('bench/backends');
    const scheduler = failUnless(await schedulerFor(handle.cluster.provider, handle.kind));
    await scheduler.stop(handle, backendContext(ctx));
  },
  async describe(handle) {
    return { scheduler: handle.kind, head: handle.cluster.hosts.find((h) => h.role === 'head')?.address ?? '-' };
  },
});

export { backendContext };
