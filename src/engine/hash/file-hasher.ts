/**
 * Input file digests with a stat cache: a file whose size, mtime (ns) and inode are unchanged is
 * not reread, so a no-op run reads no input; a touch rehashes but yields the same digest.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256Hex } from './canonical-json.js';

export interface FileStat {
  size: number;
  mtimeNs: string;
  ino: number;
  sha256: string;
}

/** Hashes project files, reusing `known` stats; `changed` collects rows to persist. */
export class FileHasher {
  readonly changed: ({ path: string } & FileStat)[] = [];
  private readonly memo = new Map<string, string>();
  /** `size:mtimeNs:ino` of each file as it was when hashed ('missing' if absent): what a run stamp re-checks. */
  readonly seen = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly known: Map<string, FileStat>,
  ) {}

  /** sha256 of a project-relative (or absolute) file, or `missing`. */
  digest(rel: string): string {
    const hit = this.memo.get(rel);
    if (hit) return hit;
    let result: string;
    try {
      const st = statSync(resolve(this.root, rel), { bigint: true });
      const size = Number(st.size);
      const mtimeNs = st.mtimeNs.toString();
      const ino = Number(st.ino);
      this.seen.set(rel, `${size}:${mtimeNs}:${ino}`);
      const prev = this.known.get(rel);
      if (prev && prev.size === size && prev.mtimeNs === mtimeNs && prev.ino === ino) result = prev.sha256;
      else {
        result = sha256Hex(readFileSync(resolve(this.root, rel)));
        this.changed.push({ path: rel, size, mtimeNs, ino, sha256: result });
      }
    } catch {
      result = 'missing';
      this.seen.set(rel, 'missing');
    }
    this.memo.set(rel, result);
    return result;
  }
}
