/**
 * Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs. Written here
 * rather than with cpio(1) so the image build needs no extra host tool and the archive is
 * byte-for-byte reproducible (fixed inode numbers, owners and times).
 */

/** One archive member; directories and symlinks carry no data of their own. */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'symlink'; path: string; target: string };

const TYPE = { dir: 0o040000, file: 0o100000, symlink: 0o120000 } as const;

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function member(ino: number, mode: number, name: string, data: Uint8Array): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  // Fields: ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check.
  const fields = [ino, mode, 0, 0, mode & TYPE.dir ? 2 : 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
  return [header, nameBytes, Buffer.alloc(pad4(header.length + nameBytes.length)), Buffer.from(data), Buffer.alloc(pad4(data.length))];
}

/** The archive bytes: members in the given order, then the trailer. Paths are relative, no leading slash. */
export function cpioArchive(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    const path = e.path.replace(/^\/+/, '');
    if (e.kind === 'dir') parts.push(...member(i + 1, TYPE.dir | (e.mode ?? 0o755), path, new Uint8Array()));
    else if (e.kind === 'file') parts.push(...member(i + 1, TYPE.file | (e.mode ?? 0o644), path, e.data));
    else parts.push(...member(i + 1, TYPE.symlink | 0o777, path, Buffer.from(e.target, 'utf8')));
  });
  parts.push(...member(0, 0, 'TRAILER!!!', new Uint8Array()));
  return Buffer.concat(parts);
}
