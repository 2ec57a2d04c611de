/**
 * Jobs a killed coordinator left on an existing cluster (`executor.provider=ssh`), for `bench gc`.
 * Every job array the executor submits is named `bench-x-<digest>` and its comment starts with
 * `bench-x <host>:<pid>`, the coordinator that submitted it. Each cluster a cache has submitted
 * to is recorded under `cache/executor-clusters/`; gc asks each for our jobs and cancels those
 * whose coordinator ran on this machine and is dead. Jobs named otherwise, or submitted from
 * another machine or by a live coordinator, are never touched. (A netns execution cluster is
 * recorded like a benchmark cluster, and gc destroys it whole when its owner is dead.)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ownerAlive } from '../backends/owner.js';
import { sshProvider } from '../backends/ssh/ssh-provider.js';
import type { Topology } from '../backends/types.js';
import { Remote } from '../remote/remote.js';
import { SshPool } from '../remote/ssh-pool.js';

/** How to reach a cluster again: the ssh provider's settings for its login node. */
export interface ClusterRecord {
  login: string;
  user: string;
  key: string;
  port?: number;
  known_hosts?: string;
}

/** `<host>:<pid>` of this coordinator, as job comments carry it. */
export function ownerTag(): string {
  return `${hostname()}:${process.pid}`;
}

const recordsDir = (cacheDir: string): string => join(cacheDir, 'executor-clusters');

/** Notes that this cache submits to `rec`'s cluster, so gc can look there later. */
export function recordCluster(cacheDir: string, rec: ClusterRecord): void {
  const dir = recordsDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(`${rec.user}@${rec.login}:${rec.port ?? 22}`).digest('hex').slice(0, 16)}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(rec));
  renameSync(`${file}.tmp`, file);
}

/** Array job ids in `squeue -h -o '%F|%j|%k'` output that are ours and orphaned. */
export function orphanedArrays(squeue: string, here = hostname(), alive: (pid: number) => boolean = ownerAlive): string[] {
  const ids = new Set<string>();
  for (const line of squeue.split('\n')) {
    const [id, name, comment] = line.trim().split('|');
    if (!id || !name?.startsWith('bench-x-')) continue;
    const owner = /^bench-x (\S+):(\d+)(\s|$)/.exec(comment ?? '');
    if (!owner || owner[1] !== here || alive(Number(owner[2]))) continue;
    ids.add(id);
  }
  return [...ids];
}

/** Cancels our orphaned jobs on every recorded cluster; returns one line per cluster that had some. */
export async function cancelOrphanedJobs(cacheDir: string, o: { dryRun: boolean; signal: AbortSignal }): Promise<string[]> {
  const dir = recordsDir(cacheDir);
  if (!existsSync(dir)) return [];
  const lines: string[] = [];
  const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const rec = JSON.parse(readFileSync(join(dir, f), 'utf8')) as ClusterRecord;
    const pool = new SshPool({ connectRetries: 1 });
    try {
      const cluster = await sshProvider.up({} as Topology, {
        kind: 'ssh', hosts: [rec.login], user: rec.user, key: rec.key,
        ...(rec.port !== undefined ? { port: rec.port } : {}), ...(rec.known_hosts ? { known_hosts: rec.known_hosts } : {}),
      }, { signal: o.signal, log: quiet, workDir: cacheDir });
      const remote = new Remote(pool, cluster, o.signal);
      const listed = await remote.must(remote.head, ['squeue', '-h', '-o', '%F|%j|%k'], 'listing jobs');
      const orphans = orphanedArrays(listed);
      if (!orphans.length) continue;
      if (o.dryRun) {
        lines.push(`would cancel ${orphans.length} job arrays of dead coordinators on ${rec.login}: ${orphans.join(', ')}`);
        continue;
      }
      await remote.must(remote.head, ['scancel', ...orphans], 'cancelling orphaned jobs');
      lines.push(`cancelled ${orphans.length} job arrays of dead coordinators on ${rec.login}: ${orphans.join(', ')}`);
    } catch (e) {
      lines.push(`could not look for orphaned jobs on ${rec.login}: ${(e as Error).message}`);
    } finally {
      await pool.close();
    }
  }
  return lines;
}
