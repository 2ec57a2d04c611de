/**
 * A small initramfs for direct kernel boot: static busybox, the handful of modules needed to
 * reach the root disk and the network, and an init that mounts the root and switches to it.
 * Debian's own initrd (36 MB, udev and scripts) spends about 6 s under TCG before the root is
 * mounted; this one about 1 s.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpioArchive, type CpioEntry } from './cpio.js';
import { INITRAMFS_INIT } from './guest-files.js';

/** Modules the guest needs before its root is mounted (virtio disk, ext4 with checksums, virtio NIC). */
export const INITRAMFS_MODULES = ['virtio_pci', 'virtio_blk', 'virtio_net', 'crc32c_generic', 'ext4'];

/** Module names treat `-` and `_` alike (crc32c-intel is crc32c_intel). */
function moduleName(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\.ko(\.xz|\.zst|\.gz)?$/, '').replace(/-/g, '_');
}

/**
 * The `.ko` paths (relative to the modules directory) to load for `wanted`, dependencies first,
 * each once. Throws naming any module the kernel does not have.
 */
export function moduleLoadOrder(modulesDep: string, wanted: readonly string[]): string[] {
  const deps = new Map<string, { path: string; needs: string[] }>();
  for (const line of modulesDep.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon).trim();
    deps.set(moduleName(path), { path, needs: line.slice(colon + 1).trim().split(/\s+/).filter(Boolean).map(moduleName) });
  }
  const missing = wanted.filter((w) => !deps.has(moduleName(w)));
  if (missing.length) throw new Error(`kernel modules not found in modules.dep: ${missing.join(', ')}`);
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const m = deps.get(name);
    if (!m) throw new Error(`kernel module ${name} is listed as a dependency but not in modules.dep`);
    for (const d of m.needs) visit(d);
    order.push(m.path);
  };
  for (const w of wanted) visit(moduleName(w));
  return order;
}

/** The initramfs bytes, from the root filesystem at `root` for kernel `version`. */
export async function buildInitramfs(root: string, version: string): Promise<Buffer> {
  const modDir = join(root, 'usr/lib/modules', version);
  const order = moduleLoadOrder(await readFile(join(modDir, 'modules.dep'), 'utf8'), INITRAMFS_MODULES);
  const packed = order.filter((p) => !p.endsWith('.ko'));
  // busybox insmod hands the bytes to the kernel as they are; compressed modules need kmod.
  if (packed.length) throw new Error(`compressed kernel modules are not supported in the initramfs: ${packed.join(', ')}`);
  const busybox = await readFile(join(root, 'bin/busybox')).catch(() => {
    throw new Error('the image has no /bin/busybox: the initramfs needs the busybox-static package');
  });
  const entries: CpioEntry[] = ['bin', 'dev', 'proc', 'root', 'modules'].map((path) => ({ kind: 'dir', path }));
  entries.push({ kind: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 });
  entries.push({ kind: 'file', path: 'init', data: Buffer.from(INITRAMFS_INIT), mode: 0o755 });
  // Numbered so that the init's glob loads them in dependency order.
  for (const [i, rel] of order.entries()) {
    entries.push({ kind: 'file', path: `modules/${String(i).padStart(2, '0')}-${moduleName(rel)}.ko`, data: await readFile(join(modDir, rel)) });
  }
  return cpioArchive(entries);
}
