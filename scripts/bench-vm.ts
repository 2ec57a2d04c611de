/**
 * VM figures: image build time (and the cached rebuild, which must do no work), time from `up`
 * to SSH-ready per VM, cluster bring-up time, and SLURM bring-up inside the VMs (munge key,
 * slurm.conf, munged/slurmctld/slurmd started over SSH until the node is idle), for a 1 head +
 * 1 compute cluster. The libvirt runtime is measured where libvirtd can run.
 * Usage: npm run bench:vm -- [--runs N] [--subnet CIDR]
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildImage } from '../src/hpc/image/build-image.js';
import type { ImageConfig } from '../src/hpc/image/image-fingerprint.js';
import { libvirtProvider, type VmTiming } from '../src/hpc/backends/libvirt/libvirt-provider.js';
import { ensureLibvirtd, stopIdleDaemons } from '../src/hpc/backends/libvirt/virsh-runtime.js';
import { slurmScheduler } from '../src/hpc/backends/slurm/index.js';
import { SlurmSchedulerSchema } from '../src/hpc/backends/slurm/config-schema.js';
import type { Topology } from '../src/hpc/backends/types.js';

const arg = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg('--runs') ?? 2) || 2;
const log = { info: (m: string) => console.log(`  ${m}`), warn: (m: string) => console.log(`  warn: ${m}`), debug: () => undefined };
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] ?? 0 : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2; };

const imageConfig = parse(readFileSync('conf/image/debian.yaml', 'utf8')) as ImageConfig;
const providerConfig = parse(readFileSync('conf/provider/libvirt.yaml', 'utf8')) as Record<string, unknown>;
if (arg('--subnet')) providerConfig['subnet'] = arg('--subnet');
const slurmConfig = { ...SlurmSchedulerSchema.parse(parse(readFileSync('conf/scheduler/slurm.yaml', 'utf8'))), ready_timeout_s: 180 };
const topology: Topology = { name: 'bench-vm', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 1, vcpus: 1, memory_gib: 1, gpus: 0 } };

let t0 = Date.now();
const first = await buildImage(imageConfig, { cacheDir: 'cache/images', log });
const firstS = (Date.now() - t0) / 1000;
if (first.kind !== 'built') throw new Error(first.message);
const image = first.image;
t0 = Date.now();
const again = await buildImage(imageConfig, { cacheDir: 'cache/images', log });
const againS = (Date.now() - t0) / 1000;
console.log(`image build: ${firstS.toFixed(1)} s (${first.image.cached ? 'was already cached' : 'built now'}); cached rebuild: ${againS.toFixed(3)} s, work done: ${again.kind === 'built' && again.image.cached ? 'none' : 'REBUILT'}`);

interface Figures { ready: number[]; bringUp: number[]; slurm: number[] }

/** Boots the cluster `runs` times with one runtime and brings SLURM up in it; returns the timings. */
async function measure(runtime: 'libvirt' | 'qemu'): Promise<Figures> {
  const f: Figures = { ready: [], bringUp: [], slurm: [] };
  for (let r = 0; r < runs; r++) {
    const ctx = { signal: new AbortController().signal, log, workDir: 'cache/vms' };
    const t = Date.now();
    const cluster = await libvirtProvider.up(topology, { ...providerConfig, runtime, image }, ctx);
    f.bringUp.push((Date.now() - t) / 1000);
    try {
      const timings = cluster.data['timings'] as VmTiming[];
      for (const x of timings) f.ready.push(x.sshReadySeconds);
      const s = Date.now();
      const handle = await slurmScheduler.configure(cluster, slurmConfig, ctx);
      f.slurm.push((Date.now() - s) / 1000);
      await slurmScheduler.stop(handle, ctx);
      console.log(`${runtime} run ${r + 1}: ${String(cluster.data['accel'])}; ${timings.map((x) => `${x.name} ${x.sshReadySeconds.toFixed(1)} s`).join(', ')}; bring-up ${f.bringUp[r]?.toFixed(1)} s; SLURM up in ${f.slurm[r]?.toFixed(1)} s`);
    } finally {
      await libvirtProvider.down(cluster, ctx);
    }
  }
  return f;
}

const results: Partial<Record<'qemu' | 'libvirt', Figures>> = { qemu: await measure('qemu') };
const libvirtd = await ensureLibvirtd();
if (libvirtd.ok) results.libvirt = await measure('libvirt');
else console.log(`libvirt runtime not measured: ${libvirtd.reason}`);
// Daemons started only for this measurement go again, as the provider's own do.
const stopped = await stopIdleDaemons(libvirtd.started);
if (stopped) console.log(`  ${stopped}`);
for (const [rt, m] of Object.entries(results)) {
  console.log(`${rt}: up → SSH-ready per VM (2 VMs booting together): median ${median(m.ready).toFixed(1)} s over ${m.ready.length} VMs (goal < 20 s under TCG)`);
  console.log(`${rt}: cluster bring-up (1 head + 1 compute: overlays, seeds, boot, SSH): median ${median(m.bringUp).toFixed(1)} s over ${runs} runs`);
  console.log(`${rt}: SLURM bring-up in the VMs (munge key, slurm.conf, munged, slurmctld, slurmd, node idle): median ${median(m.slurm).toFixed(1)} s over ${runs} runs`);
}
if (results.libvirt && results.qemu) console.log(`libvirt / qemu-direct bring-up ratio: ${(median(results.libvirt.bringUp) / median(results.qemu.bringUp)).toFixed(2)}`);
