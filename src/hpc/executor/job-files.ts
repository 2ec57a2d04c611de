/**
 * Where job files live and how they move. The coordinator always builds a job's directory (and
 * an array's batch files) under its local root; the hosts read them under the cluster root.
 *
 * - `shared`: one directory both sides see at the same path (the netns hosts' view of this
 *   machine's filesystem, or a cluster filesystem mounted here too: `executor.shared_dir`).
 *   Local and cluster roots are the same; nothing is copied, exit files are stat'ed here.
 * - `sftp`: the cluster's filesystem is reachable only through its login node. Files go up as
 *   one tar per job array over SFTP, exit files are read by one command per poll for every
 *   live job, and a finished job's outputs come back as one tar over SFTP.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { shellQuote as q } from '../remote/quote.js';
import type { Remote } from '../remote/remote.js';
import { JOB_FILES, RESULT_FILES } from './task-spec.js';

/** A job's `exit` file: "<status> <host>". */
export interface ExitLine {
  code: number;
  host: string;
}

export interface JobFiles {
  readonly kind: 'shared' | 'sftp';
  /** Where the coordinator builds job and batch directories. */
  readonly localRoot: string;
  /** The same directories as the compute hosts see them. */
  readonly clusterRoot: string;
  /** Bytes moved over SFTP so far (0 when shared). */
  readonly bytes: { up: number; down: number };
  /** The cluster path of a path under the local root. */
  toCluster(localPath: string): string;
  /** Makes these local directories (under the local root) visible to the hosts. */
  push(localDirs: string[]): Promise<void>;
  /** The exit lines of those job directories (local paths) that have one. */
  exits(localDirs: string[]): Promise<Map<string, ExitLine>>;
  /** Brings a finished job's results into its local directory. */
  pull(localDir: string): Promise<void>;
  /** Removes a job's directory on both sides. */
  remove(localDir: string): Promise<void>;
}

export function parseExit(text: string): ExitLine {
  const [code, host] = text.trim().split(' ');
  return { code: Number(code), host: host ?? '?' };
}

/** One directory seen at the same path by this process and every compute host. */
export class SharedFiles implements JobFiles {
  readonly kind = 'shared';
  readonly bytes = { up: 0, down: 0 };
  readonly clusterRoot: string;

  constructor(readonly localRoot: string) {
    this.clusterRoot = localRoot;
  }

  toCluster(localPath: string): string {
    return localPath;
  }

  async push(): Promise<void> {}

  async exits(localDirs: string[]): Promise<Map<string, ExitLine>> {
    const out = new Map<string, ExitLine>();
    for (const d of localDirs) {
      const file = join(d, JOB_FILES.exit);
      if (existsSync(file)) out.set(d, parseExit(readFileSync(file, 'utf8')));
    }
    return out;
  }

  async pull(): Promise<void> {}

  async remove(localDir: string): Promise<void> {
    rmSync(localDir, { recursive: true, force: true });
  }
}

/** The cluster's filesystem through its login node: SFTP for files, one shell command per batch of small reads. */
export class SftpFiles implements JobFiles {
  readonly kind = 'sftp';
  readonly bytes = { up: 0, down: 0 };
  private seq = 0;

  constructor(readonly localRoot: string, readonly clusterRoot: string, private readonly remote: Remote) {}

  toCluster(localPath: string): string {
    return join(this.clusterRoot, relative(this.localRoot, localPath));
  }

  async push(localDirs: string[]): Promise<void> {
    if (!localDirs.length) return;
    const rels = localDirs.map((d) => relative(this.localRoot, d));
    const tar = await execa('tar', ['-cf', '-', '-C', this.localRoot, ...rels], { encoding: 'buffer', reject: false });
    if (tar.exitCode !== 0) throw new Error(`packing job files: ${Buffer.from(tar.stderr).toString().trim()}`);
    const data = Buffer.from(tar.stdout);
    const name = join(this.clusterRoot, 'incoming', `${process.pid}-${this.seq++}.tar`);
    await this.remote.must(this.remote.head, { script: `mkdir -p ${q(join(this.clusterRoot, 'incoming'))}` }, 'making the upload directory');
    await this.remote.upload(this.remote.head, data, name);
    this.bytes.up += data.length;
    // An attempt's directory is replaced whole, as writeJobDir replaces it locally.
    const clear = rels.map((r) => q(join(this.clusterRoot, r))).join(' ');
    await this.remote.must(this.remote.head, { script: `rm -rf ${clear} && tar -xf ${q(name)} -C ${q(this.clusterRoot)} && rm -f ${q(name)}` }, 'unpacking job files', 120_000);
  }

  async exits(localDirs: string[]): Promise<Map<string, ExitLine>> {
    const out = new Map<string, ExitLine>();
    if (!localDirs.length) return out;
    const byCluster = new Map(localDirs.map((d) => [this.toCluster(d), d]));
    // One round trip for every live job: "<dir> <status> <host>" per job that has ended.
    const script = `for d in ${[...byCluster.keys()].map(q).join(' ')}; do [ -f "$d/${JOB_FILES.exit}" ] && printf '%s %s\\n' "$d" "$(cat "$d/${JOB_FILES.exit}")"; done; true`;
    const stdout = await this.remote.must(this.remote.head, { script }, 'reading exit files');
    for (const line of stdout.split('\n')) {
      const [dir, ...rest] = line.trim().split(' ');
      const local = dir ? byCluster.get(dir) : undefined;
      if (local && rest.length) out.set(local, parseExit(rest.join(' ')));
    }
    return out;
  }

  async pull(localDir: string): Promise<void> {
    const dir = this.toCluster(localDir);
    // The job packed its results before writing `exit`; a job that never got there (lost,
    // cancelled) is packed here, from whatever it left.
    const packed = await this.remote.download(this.remote.head, join(dir, JOB_FILES.results)).catch(() => undefined);
    const data = packed ?? await this.packHere(dir);
    this.bytes.down += data.length;
    mkdirSync(localDir, { recursive: true });
    const r = await execa('tar', ['-xf', '-', '-C', localDir], { input: data, reject: false });
    if (r.exitCode !== 0) throw new Error(`unpacking the results of ${dir}: ${r.stderr.trim()}`);
  }

  private async packHere(dir: string): Promise<Buffer> {
    const tarFile = join(dir, `${JOB_FILES.results}.coordinator`);
    const list = RESULT_FILES.map(q).join(' ');
    await this.remote.must(this.remote.head, { script: `cd ${q(dir)} && touch ${q(JOB_FILES.stderr)} && f= && for p in ${list}; do if [ -e "$p" ]; then f="$f $p"; fi; done && tar -cf ${q(tarFile)} $f` }, 'packing job results', 120_000);
    return this.remote.download(this.remote.head, tarFile);
  }

  async remove(localDir: string): Promise<void> {
    rmSync(localDir, { recursive: true, force: true });
    await this.remote.exec(this.remote.head, ['rm', '-rf', this.toCluster(localDir)]).catch(() => undefined);
  }
}
