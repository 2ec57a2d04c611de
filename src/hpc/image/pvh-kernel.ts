/**
 * Extracts the uncompressed kernel (vmlinux) from a bzImage when it has a PVH entry point.
 * QEMU boots such an ELF directly: no firmware real-mode setup and no in-guest decompression,
 * which under TCG saves about four seconds per boot (measured: kernel's first line at 0.8 s
 * instead of 4.6 s with Debian 12's xz-compressed kernel).
 */
import { execa } from 'execa';
import { gunzipSync } from 'node:zlib';

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
const PT_NOTE = 4;
/** XEN_ELFNOTE_PHYS32_ENTRY: the 32-bit entry point QEMU's PVH loader looks for. */
const PHYS32_ENTRY = 18;

/** True when `elf` is a 64-bit ELF whose notes carry a PVH entry point. */
export function hasPvhEntry(elf: Buffer): boolean {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return false;
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + 56 > elf.length || elf.readUInt32LE(ph) !== PT_NOTE) continue;
    const start = Number(elf.readBigUInt64LE(ph + 8));
    const end = Math.min(elf.length, start + Number(elf.readBigUInt64LE(ph + 0x20)));
    for (let p = start; p + 12 <= end;) {
      const namesz = elf.readUInt32LE(p);
      const descsz = elf.readUInt32LE(p + 4);
      const type = elf.readUInt32LE(p + 8);
      const name = elf.subarray(p + 12, p + 12 + namesz).toString('latin1').replace(/\0+$/, '');
      if (name === 'Xen' && type === PHYS32_ENTRY) return true;
      p += 12 + align4(namesz) + align4(descsz);
    }
  }
  return false;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function offsets(data: Buffer, magic: Buffer): number[] {
  const found: number[] = [];
  for (let i = data.indexOf(magic); i >= 0; i = data.indexOf(magic, i + 1)) found.push(i);
  return found;
}

async function unxz(payload: Buffer): Promise<Buffer | undefined> {
  // --single-stream: the bzImage goes on after the compressed kernel; that tail is not xz.
  const r = await execa('xz', ['-dc', '--single-stream'], { input: payload, encoding: 'buffer', reject: false, maxBuffer: 2 ** 30 });
  return r.exitCode === 0 ? Buffer.from(r.stdout) : undefined;
}

function gunzip(payload: Buffer): Buffer | undefined {
  try { return gunzipSync(payload); } catch { return undefined; }
}

/** The vmlinux inside `bzImage` if it has a PVH entry; otherwise a reason why not, for the log. */
export async function extractPvhKernel(bzImage: Buffer): Promise<{ kind: 'pvh'; elf: Buffer } | { kind: 'none'; reason: string }> {
  // A magic can also occur by chance inside other data, so each candidate is tried in turn.
  for (const off of offsets(bzImage, XZ_MAGIC)) {
    const elf = await unxz(bzImage.subarray(off));
    if (elf && hasPvhEntry(elf)) return { kind: 'pvh', elf };
  }
  for (const off of offsets(bzImage, GZIP_MAGIC)) {
    const elf = gunzip(bzImage.subarray(off));
    if (elf && hasPvhEntry(elf)) return { kind: 'pvh', elf };
  }
  return { kind: 'none', reason: 'no xz- or gzip-compressed ELF kernel with a PVH entry point in the bzImage' };
}
