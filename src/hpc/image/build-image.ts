/**
 * Builds a VM image once per fingerprint and reuses it: the cache directory is named by the
 * digest of `imageFingerprintInput`, written to a temp directory and renamed into place, so a
 * present directory is always a complete image.
 */
import { execa } from 'execa';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../../engine/graph/task-def.js';
import { imageDigest, imageFingerprintInput, type ImageConfig } from './image-fingerprint.js';
import { withBuildLock } from './build-lock.js';
import { runTool } from './run-tool.js';
import { MINIMAL_INIT, SEED_SCRIPT, SEED_UNIT } from './guest-files.js';
import { buildInitramfs } from './initramfs.js';
import { extractPvhKernel } from './pvh-kernel.js';

/** A built image, ready for direct kernel boot. */
export interface BuiltImage {
  digest: string;
  dir: string;
  disk: string;
  kernel: string;
  initrd: string;
  /** Kernel arguments the image expects (root device, init). */
  cmdline: string;
  /** True when nothing was built because the cache held it. */
  cached: boolean;
}

export interface BuildImageOptions {
  /** Unused when the image is cached; the image's files live under `cacheDir/<digest>`. */
  outDir?: string;
  cacheDir: string;
  signal?: AbortSignal;
  log: Logger;
}

/** Outcome as a value: a user-facing reason when the builder cannot run here. */
export type BuildImageResult = { kind: 'built'; image: BuiltImage } | { kind: 'failed'; reason: string; message: string };

/** Builds (or finds in the cache) the image the config describes. */
export async function buildImage(image: ImageConfig, opts: BuildImageOptions): Promise<BuildImageResult> {
  const digest = imageDigest(image);
  const dir = join(resolve(opts.cacheDir), digest);
  const built = describe(dir, digest, image, true);
  const cached = (): BuildImageResult | undefined => {
    if (!existsSync(join(dir, 'manifest.json'))) return undefined;
    opts.log.info(`image ${digest}: cached, nothing to build`);
    return { kind: 'built', image: built };
  };
  const hit = cached();
  if (hit) return hit;
  if (image.builder === 'none') return build(image, dir, opts);
  const onWait = (pid: number | undefined): void => opts.log.info(`image ${digest}: another process${pid ? ` (pid ${pid})` : ''} is building it; waiting`);
  return withBuildLock(dir, { onWait, ...(opts.signal ? { signal: opts.signal } : {}) }, async () => cached() ?? build(image, dir, opts));
}

function build(image: ImageConfig, dir: string, opts: BuildImageOptions): Promise<BuildImageResult> {
  switch (image.builder) {
    case 'debian':
      return buildDebian(image, dir, opts);
    case 'nix':
      return buildNix(image, dir, opts);
    case 'none':
      return Promise.resolve({ kind: 'failed', reason: 'no-image', message: 'image builder "none" builds nothing; the libvirt provider needs image=debian or image=nixos' });
  }
}

function describe(dir: string, digest: string, image: ImageConfig, cached: boolean): BuiltImage {
  const init = image.init === 'systemd' ? '' : ' init=/sbin/bench-init';
  return {
    digest, dir, cached,
    // The PVH kernel skips firmware set-up and decompression; images without one boot the bzImage.
    disk: join(dir, 'disk.qcow2'), kernel: join(dir, existsSync(join(dir, 'vmlinux')) ? 'vmlinux' : 'vmlinuz'), initrd: join(dir, 'initrd.img'),
    cmdline: `root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet${init}`,
  };
}

async function run(cmd: string, args: string[], opts: BuildImageOptions): Promise<{ ok: boolean; out: string }> {
  const r = await runTool(cmd, args, opts.signal);
  return { ok: r.ok, out: r.out.slice(-4000) };
}

async function buildDebian(image: ImageConfig, dir: string, opts: BuildImageOptions): Promise<BuildImageResult> {
  const fp = imageFingerprintInput(image);
  const digest = imageDigest(image);
  const tmp = `${dir}.tmp-${process.pid}`;
  const root = join(tmp, 'rootfs');
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const started = Date.now();
  const packages = fp['packages'] as string[];
  opts.log.info(`image ${digest}: mmdebstrap ${String(fp['suite'])} (${packages.length} packages)`);
  const excludes = ['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/info/*', '/usr/share/locale/*', '/usr/share/lintian/*'];
  const deb = await run('mmdebstrap', [
    `--variant=${String(fp['variant'])}`, `--include=${packages.join(',')}`,
    ...excludes.map((p) => `--dpkgopt=path-exclude=${p}`),
    '--aptopt=Acquire::Retries "3"',
    String(fp['suite']), root, String(fp['mirror']),
  ], opts);
  if (!deb.ok) return fail(tmp, 'mmdebstrap-failed', `mmdebstrap failed:\n${deb.out}`);
  await installGuestFiles(root);
  const bootDir = await readdir(join(root, 'boot'));
  const kernel = bootDir.find((f) => f.startsWith('vmlinuz-'));
  if (!kernel) return fail(tmp, 'no-kernel', `no kernel in /boot of the image (found ${bootDir.join(', ') || 'nothing'}); add linux-image-amd64`);
  await cp(join(root, 'boot', kernel), join(tmp, 'vmlinuz'));
  const boot = await bootFiles(root, kernel.slice('vmlinuz-'.length), tmp).then((done) => ({ done }), (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
  if ('error' in boot) return fail(tmp, 'initramfs-failed', `building the boot files failed: ${boot.error}`);
  opts.log.info(`image ${digest}: ${boot.done}`);
  const raw = join(tmp, 'disk.raw');
  const mkfs = await run('mkfs.ext4', ['-q', '-F', '-L', 'benchroot', '-d', root, raw, `${String(fp['sizeGib'])}G`], opts);
  if (!mkfs.ok) return fail(tmp, 'mkfs-failed', `mkfs.ext4 -d failed:\n${mkfs.out}`);
  const conv = await run('qemu-img', ['convert', '-O', 'qcow2', raw, join(tmp, 'disk.qcow2')], opts);
  if (!conv.ok) return fail(tmp, 'qemu-img-failed', `qemu-img convert failed:\n${conv.out}`);
  await rm(raw, { force: true });
  await rm(root, { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  const size = (await stat(join(tmp, 'disk.qcow2'))).size;
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify({ fingerprint: fp, digest, buildSeconds: seconds, qcow2Bytes: size }, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  opts.log.info(`image ${digest}: built in ${seconds.toFixed(1)} s (${(size / 2 ** 20).toFixed(0)} MiB qcow2)`);
  return { kind: 'built', image: describe(dir, digest, image, false) };
}

/**
 * Writes the boot files next to the disk: the slim initramfs, and the uncompressed kernel when it
 * can boot through PVH (the bzImage stays as the fallback). Returns what was done, for the log.
 */
async function bootFiles(root: string, version: string, out: string): Promise<string> {
  await writeFile(join(out, 'initrd.img'), await buildInitramfs(root, version));
  const pvh = await extractPvhKernel(await readFile(join(out, 'vmlinuz')));
  if (pvh.kind === 'none') return `kernel ${version} boots as bzImage (${pvh.reason})`;
  await writeFile(join(out, 'vmlinux'), pvh.elf);
  return `kernel ${version} boots through its PVH entry (uncompressed vmlinux, ${(pvh.elf.length / 2 ** 20).toFixed(0)} MiB)`;
}

async function installGuestFiles(root: string): Promise<void> {
  await mkdir(join(root, 'usr/local/sbin'), { recursive: true });
  await writeFile(join(root, 'usr/local/sbin/bench-seed'), SEED_SCRIPT);
  await chmod(join(root, 'usr/local/sbin/bench-seed'), 0o755);
  await writeFile(join(root, 'sbin/bench-init'), MINIMAL_INIT);
  await chmod(join(root, 'sbin/bench-init'), 0o755);
  const units = join(root, 'etc/systemd/system');
  await mkdir(join(units, 'multi-user.target.wants'), { recursive: true });
  await writeFile(join(units, 'bench-seed.service'), SEED_UNIT);
  await symlink('../bench-seed.service', join(units, 'multi-user.target.wants/bench-seed.service')).catch(() => undefined);
  // Host keys come from the seed; keys generated at build time would be shared by every VM.
  for (const f of await readdir(join(root, 'etc/ssh'))) {
    if (f.startsWith('ssh_host_')) await rm(join(root, 'etc/ssh', f));
  }
}

async function fail(tmp: string, reason: string, message: string): Promise<BuildImageResult> {
  await rm(tmp, { recursive: true, force: true });
  return { kind: 'failed', reason, message };
}

async function buildNix(image: ImageConfig, dir: string, opts: BuildImageOptions): Promise<BuildImageResult> {
  const which = await execa('nix', ['--version'], { reject: false });
  if (which.exitCode !== 0) {
    return { kind: 'failed', reason: 'nix-unavailable', message: 'image builder "nix" needs the `nix` command (with flakes); it is not available on this machine' };
  }
  const flake = image.flake ?? 'nix#bench-slurm';
  const [path, attr] = flake.split('#');
  const target = `${path ?? 'nix'}#packages.x86_64-linux.${attr ?? 'bench-slurm'}`;
  const tmp = `${dir}.tmp-${process.pid}`;
  await mkdir(tmp, { recursive: true });
  const r = await run('nix', ['--extra-experimental-features', 'nix-command flakes', 'build', target, '--out-link', join(tmp, 'result')], opts);
  if (!r.ok) return fail(tmp, 'nix-build-failed', `nix build ${target} failed:\n${r.out}`);
  for (const f of ['disk.qcow2', 'vmlinuz', 'initrd.img']) await cp(join(tmp, 'result', f), join(tmp, f), { dereference: true });
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify({ fingerprint: imageFingerprintInput(image) }, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return { kind: 'built', image: { ...describe(dir, imageDigest(image), image, false), cmdline: 'console=ttyS0 net.ifnames=0 quiet' } };
}
