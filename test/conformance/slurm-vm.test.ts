/**
 * Real SLURM inside QEMU VMs (TCG where KVM does not work) booted from the project's Debian image
 * (built once, cached under cache/images), configured over SSH by the same code as on netns.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { cleanupLeftovers, findLeftovers, libvirtProvider } from '../../src/hpc/backends/libvirt/libvirt-provider.js';
import { schedulerFor } from '../../src/hpc/backends/registry.js';
import type { Scheduler, Topology } from '../../src/hpc/backends/types.js';
import { buildImage } from '../../src/hpc/image/build-image.js';
import type { ImageConfig } from '../../src/hpc/image/image-fingerprint.js';
import { links, qemuPids } from '../support/procs.js';
import { VM } from '../support/requirements.js';
import { describeSchedulerConformance } from './scheduler-conformance.js';

const root = resolve(import.meta.dirname, '../..');
const yamlFile = <T>(path: string): T => parse(readFileSync(join(root, path), 'utf8')) as T;
const topology: Topology = { name: 'conformance-vm', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 1, memory_gib: 1, gpus: 0 } };

describeSchedulerConformance({
  name: 'SLURM in VMs',
  requires: VM,
  timeScale: 0.1,
  // Job steps start and end slowly under TCG on a loaded host.
  slackS: 10,
  timeLimitFloorS: 60,
  enforcesTimeLimit: true,
  timeoutMs: 1_200_000,
  async setUp(ctx) {
    const built = await buildImage(yamlFile<ImageConfig>('conf/image/debian.yaml'), { cacheDir: join(root, 'cache/images'), log: ctx.log });
    if (built.kind !== 'built') throw new Error(built.message);
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-conformance-vm-'));
    const c = { ...ctx, workDir: stateDir };
    const config = { ...yamlFile<Record<string, unknown>>('conf/provider/libvirt.yaml'), runtime: 'qemu', subnet: '10.90.0.0/24', state_dir: stateDir, image: built.image, ready_timeout_s: 300 };
    const cluster = await libvirtProvider.up(topology, config, c);
    const id = String(cluster.data['id']);
    const scheduler = (await schedulerFor('libvirt', 'slurm')) as Scheduler;
    const handle = await scheduler.configure(cluster, { ...yamlFile<Record<string, unknown>>('conf/scheduler/slurm.yaml'), ready_timeout_s: 180 }, c).catch(async (e: unknown) => {
      await libvirtProvider.down(cluster, c);
      throw e;
    });
    return {
      scheduler, handle,
      async tearDown() {
        await scheduler.stop(handle, c);
        await libvirtProvider.down(JSON.parse(JSON.stringify(cluster)) as typeof cluster, c);
        await cleanupLeftovers({ state_dir: stateDir });
      },
      async leftovers() {
        const left = [...qemuPids(id).map((p) => `QEMU ${p}`), ...links(id).map((l) => `link ${l}`), ...findLeftovers({ state_dir: stateDir }).map((s) => `cluster ${s.id}`)];
        rmSync(stateDir, { recursive: true, force: true });
        return left;
      },
    };
  },
});
