/**
 * The initramfs pieces: the cpio archive read back by GNU cpio (an independent reader), module
 * load order from a modules.dep, and PVH detection/extraction on synthetic kernels.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpioArchive } from '../../../../src/hpc/image/cpio.js';
import { moduleLoadOrder } from '../../../../src/hpc/image/initramfs.js';
import { extractPvhKernel, hasPvhEntry } from '../../../../src/hpc/image/pvh-kernel.js';

const hasCpio = spawnSync('sh', ['-c', 'command -v cpio']).status === 0;
const hasXz = spawnSync('sh', ['-c', 'command -v xz']).status === 0;
if ((!hasCpio || !hasXz) && process.env['CI'] === 'true') throw new Error('initramfs tests need cpio and xz under CI');

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'bench-initramfs-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasCpio)(`cpio archive (skipped: ${hasCpio ? 'n/a' : 'cpio not installed'})`, () => {
  it('is read back by GNU cpio with names, modes, contents and symlinks intact', () => {
    const odd = Buffer.from([0, 1, 2, 255, 10, 13]);
    const archive = cpioArchive([
      { kind: 'dir', path: 'bin' },
      { kind: 'file', path: 'bin/tool', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { kind: 'file', path: '/data/odd-length.bin', data: odd },
      { kind: 'dir', path: 'data', mode: 0o700 },
      { kind: 'symlink', path: 'bin/sh', target: 'tool' },
      { kind: 'file', path: 'empty', data: new Uint8Array() },
    ]);
    // Every member and the trailer start on a 4-byte boundary in newc.
    expect(archive.length % 4).toBe(0);
    const r = spawnSync('cpio', ['-idm', '--quiet', '--no-absolute-filenames'], { cwd: dir, input: archive });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(join(dir, 'bin/tool')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, 'data/odd-length.bin'))).toEqual(odd);
    expect(statSync(join(dir, 'data/odd-length.bin')).mode & 0o777).toBe(0o644);
    expect(readlinkSync(join(dir, 'bin/sh'))).toBe('tool');
    expect(readFileSync(join(dir, 'empty')).length).toBe(0);
    const list = spawnSync('cpio', ['-it', '--quiet'], { input: archive }).stdout.toString().trim().split('\n');
    expect(list).toEqual(['bin', 'bin/tool', 'data/odd-length.bin', 'data', 'bin/sh', 'empty']);
  });

  it('is the same bytes for the same entries (reproducible image digests)', () => {
    const entries = [{ kind: 'file' as const, path: 'a', data: Buffer.from('x') }];
    expect(cpioArchive(entries).equals(cpioArchive(entries))).toBe(true);
  });
});

describe('module load order', () => {
  const dep = [
    'kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko',
    'kernel/fs/jbd2/jbd2.ko:',
    'kernel/fs/mbcache.ko:',
    'kernel/lib/crc16.ko:',
    'kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko',
    'kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko',
    'kernel/drivers/virtio/virtio_ring.ko: kernel/drivers/virtio/virtio.ko',
    'kernel/drivers/virtio/virtio.ko:',
    'kernel/arch/x86/crypto/crc32c-intel.ko:',
  ].join('\n');

  it('puts every dependency before its user, each module once', () => {
    const order = moduleLoadOrder(dep, ['virtio_pci', 'virtio_blk', 'ext4']);
    expect(order).toEqual([
      'kernel/drivers/virtio/virtio.ko', 'kernel/drivers/virtio/virtio_ring.ko', 'kernel/drivers/virtio/virtio_pci.ko',
      'kernel/drivers/block/virtio_blk.ko',
      'kernel/lib/crc16.ko', 'kernel/fs/mbcache.ko', 'kernel/fs/jbd2/jbd2.ko', 'kernel/fs/ext4/ext4.ko',
    ]);
  });

  it('treats - and _ in module names alike', () => {
    expect(moduleLoadOrder(dep, ['crc32c_intel'])).toEqual(['kernel/arch/x86/crypto/crc32c-intel.ko']);
  });

  it('names every module the kernel does not have', () => {
    expect(() => moduleLoadOrder(dep, ['ext4', 'nvme', 'xfs'])).toThrow('kernel modules not found in modules.dep: nvme, xfs');
  });
});

/** A minimal ELF64 with one PT_NOTE segment holding the given notes. */
function elfWithNotes(notes: { name: string; type: number; desc: Buffer }[]): Buffer {
  const body = Buffer.concat(notes.map((n) => {
    const name = Buffer.from(`${n.name}\0`);
    const head = Buffer.alloc(12);
    head.writeUInt32LE(name.length, 0);
    head.writeUInt32LE(n.desc.length, 4);
    head.writeUInt32LE(n.type, 8);
    const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
    return Buffer.concat([head, pad(name), pad(n.desc)]);
  }));
  const elf = Buffer.alloc(64 + 56);
  elf.writeUInt32BE(0x7f454c46, 0);
  elf[4] = 2;
  elf.writeBigUInt64LE(64n, 0x20);
  elf.writeUInt16LE(56, 0x36);
  elf.writeUInt16LE(1, 0x38);
  elf.writeUInt32LE(4, 64);
  elf.writeBigUInt64LE(BigInt(64 + 56), 64 + 8);
  elf.writeBigUInt64LE(BigInt(body.length), 64 + 0x20);
  return Buffer.concat([elf, body]);
}

const pvhElf = elfWithNotes([{ name: 'Xen', type: 6, desc: Buffer.from('linux\0') }, { name: 'Xen', type: 18, desc: Buffer.alloc(4) }]);
const plainElf = elfWithNotes([{ name: 'GNU', type: 3, desc: Buffer.alloc(20) }, { name: 'Xen', type: 6, desc: Buffer.from('linux\0') }]);

describe('PVH kernel', () => {
  it('finds the PVH entry note, and only that note', () => {
    expect(hasPvhEntry(pvhElf)).toBe(true);
    expect(hasPvhEntry(plainElf)).toBe(false);
    expect(hasPvhEntry(Buffer.from('MZ not an elf at all, but long enough to read a header from it......'))).toBe(false);
  });

  it.skipIf(!hasXz)('extracts the ELF from an xz stream inside a bzImage-like file, past a false magic', async () => {
    const xz = spawnSync('xz', ['-c', '--check=crc32'], { input: pvhElf }).stdout;
    const fake = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]);
    const bz = Buffer.concat([Buffer.from('setup code'), fake, Buffer.alloc(100, 7), xz, Buffer.from('trailing bzImage data')]);
    const r = await extractPvhKernel(bz);
    expect(r.kind).toBe('pvh');
    if (r.kind === 'pvh') expect(r.elf.equals(pvhElf)).toBe(true);
  });

  it.skipIf(!hasXz)('reports why when the kernel has no PVH entry', async () => {
    const xz = spawnSync('xz', ['-c'], { input: plainElf }).stdout;
    const r = await extractPvhKernel(Buffer.concat([Buffer.from('setup'), xz]));
    expect(r).toEqual({ kind: 'none', reason: expect.stringContaining('no xz- or gzip-compressed ELF kernel with a PVH entry') });
  });
});
