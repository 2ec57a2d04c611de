/**
 * Content-addressed output store under `cache/store/<digest>/`. A task writes into a temp dir
 * under `cache/tmp/`; the dir is hashed and renamed into place; the caller then commits the row.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../hash/canonical-json.js';

/** Paths of the store inside a project's cache dir. */
export class BlobStore {
  /** Digests present, read with one directory listing: a no-op run must not stat every output. */
  private present: Set<string> | undefined;

  constructor(readonly cacheDir: string) {}

  dirOf(digest: string): string {
    return join(this.cacheDir, 'store', digest);
  }

  has(digest: string): boolean {
    if (!this.present) {
      const dir = join(this.cacheDir, 'store');
      this.present = new Set(existsSync(dir) ? readdirSync(dir) : []);
    }
    return this.present.has(digest) || existsSync(this.dirOf(digest));
  }

  /** A fresh temp dir for one attempt. */
  makeTemp(): string {
    const dir = join(this.cacheDir, 'tmp', `${process.pid}-${randomBytes(6).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Hashes a finished temp dir and moves it to its content address; returns the digest. */
  commit(tempDir: string): string {
    const digest = digestDir(tempDir);
    const dest = this.dirOf(digest);
    mkdirSync(join(this.cacheDir, 'store'), { recursive: true });
    if (existsSync(dest)) rmSync(tempDir, { recursive: true, force: true });
    else {
      try {
        renameSync(tempDir, dest);
      } catch (e) {
        // Another process committed the same content first; same bytes, keep theirs.
        if (!existsSync(dest)) throw e;
        rmSync(tempDir, { recursive: true, force: true });
      }
    }
    this.present?.add(digest);
    return digest;
  }
}

/** sha256 over the sorted (relative path, file sha256) list of a directory. */
export function digestDir(dir: string): string {
  const files: [string, string][] = [];
  const walk = (rel: string): void => {
    for (const ent of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else files.push([r, sha256Hex(readFileSync(join(dir, r)))]);
    }
  };
  walk('');
  files.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return sha256Hex(canonicalJson(files));
}
