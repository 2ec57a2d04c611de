/**
 * VM figures: image build time (and the cached rebuild, which must do no work), time from `up`
 * to SSH-ready per VM, and cluster bring-up time, for a 1 head + 1 compute cluster.
 * Usage: npm run bench:vm [-- --runs N]
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildImage } from '../src/image/build-image.js';
import type { ImageConfig } from '../src/image/image-fingerprint.js';
import { libvirtProvider, type VmTiming } from '../src/backends/libvirt/libvirt-provider.js';
import type { Topology } from '../src/backends/types.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 2) || 2;
const log = { info: (m: string) => console.log(`  ${m}`), warn: (m: string) => console.log(`  warn: ${m}`), debug: () => undefined };
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] ?? 0 : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2; };

const imageConfig = parse(readFileSync('conf/image/debian.yaml', 'utf8')) as ImageConfig;
const providerConfig = parse(readFileSync('conf/provider/libvirt.yaml', 'utf8')) as Record<string, unknown>;
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

/** Boots the cluster `runs` times with one runtime; returns per-VM readiness and bring-up times. */
async function measure(runtime: 'libvirt' | 'qemu'): Promise<{ ready: number[]; bringUp: number[] }> {
  const ready: number[] = [];
  const bringUp: number[] = [];
  for (let r = 0; r < runs; r++) {
    const ctx = { signal: new AbortController().signal, log, workDir: 'cache/vms' };
    const t = Date.now();
    const cluster = await libvirtProvider.up(topology, { ...providerConfig, runtime, image }, ctx);
    bringUp.push((Date.now() - t) / 1000);
    const timings = cluster.data['timings'] as VmTiming[];
    for (const x of timings) ready.push(x.sshReadySeconds);
    console.log(`${runtime} run ${r + 1}: ${String(cluster.data['accel'])}; ${timings.map((x) => `${x.name} ${x.sshReadySeconds.toFixed(1)} s`).join(', ')}; bring-up ${bringUp[r]?.toFixed(1)} s`);
    await libvirtProvider.down(cluster, ctx);
  }
  return { ready, bringUp };
}

const results = { qemu: await measure('qemu'), libvirt: await measure('libvirt') };
for (const [rt, m] of Object.entries(results)) {
  console.log(`${rt}: up → SSH-ready per VM (2 VMs booting together): median ${median(m.ready).toFixed(1)} s over ${m.ready.length} VMs (goal < 20 s under TCG)`);
  console.log(`${rt}: cluster bring-up (1 head + 1 compute: overlays, seeds, boot, SSH): median ${median(m.bringUp).toFixed(1)} s over ${runs} runs`);
}
console.log(`libvirt / qemu-direct bring-up ratio: ${(median(results.libvirt.bringUp) / median(results.qemu.bringUp)).toFixed(2)}`);
