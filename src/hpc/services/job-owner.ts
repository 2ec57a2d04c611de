/**
 * Who a service or client job belongs to, and `bench gc`'s search for the ones a dead run left.
 * Every such job carries the comment `bench-svc <project> <host>:<pid>:<start>`: the project (a
 * digest of this machine's name and the project folder) and the bench process that submitted it
 * (pid plus start time, so a reused pid is not taken for the owner). Each cluster a project has
 * submitted them to is recorded under `cache/service-clusters/`. gc asks each for its jobs and
 * cancels only those whose comment names this project and this machine and whose owner is dead,
 * and that no ledger row still holds (a kept `bench up` service outlives its process). A job
 * named like ours but without our comment (another project, another user's) is never touched.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../backends/types.js';
import { ownerAlive, selfOwner, type ProcessOwner } from '../../engine/cache/process-owner.js';
import { Remote } from '../remote/remote.js';
import { SshPool } from '../remote/ssh-pool.js';

const MARK = 'bench-svc';
const recordsDir = (cacheDir: string): string => join(cacheDir, 'service-clusters');

/** The project's id in job comments: this machine and the project folder. */
export function projectId(projectRoot: string): string {
  return createHash('sha256').update(`${hostname()}\0${projectRoot}`).digest('hex').slice(0, 16);
}

/** The comment of a job this process submits for the project at `projectRoot`. */
export function ownerComment(projectRoot: string, owner: ProcessOwner = selfOwner()): string {
  return `${MARK} ${projectId(projectRoot)} ${hostname()}:${owner.pid}:${owner.start}`;
}

/** Notes that the project submits service jobs to `cluster`, so gc can look there later. */
export function recordServiceCluster(cacheDir: string, cluster: Cluster): void {
  const head = cluster.hosts.find((h) => h.role === 'head');
  if (!head) return;
  const dir = recordsDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256').update(`${cluster.provider}\0${head.user ?? ''}@${head.address}:${head.port ?? 22}`).digest('hex').slice(0, 16);
  const file = join(dir, `${key}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(cluster));
  renameSync(`${file}.tmp`, file);
}

/** Job ids in `squeue -h -o '%i|%j|%k'` output that are this project's service/client jobs of dead owners, except `keep`. */
export function orphanedServiceJobs(squeue: string, project: string, o: { here?: string; alive?: (owner: ProcessOwner) => boolean; keep?: ReadonlySet<number> } = {}): number[] {
  const here = o.here ?? hostname();
  const alive = o.alive ?? ownerAlive;
  const ids: number[] = [];
  for (const line of squeue.split('\n')) {
    const [id, name, ...rest] = line.trim().split('|');
    const comment = rest.join('|');
    if (!id || !/^\d+$/.test(id) || !/^bench-(svc|client)-/.test(name ?? '')) continue;
    const m = /^bench-svc ([0-9a-f]{16}) (\S+):(\d+):(\d*)$/.exec(comment);
    if (!m || m[1] !== project || m[2] !== here) continue;
    if (o.keep?.has(Number(id)) || alive({ pid: Number(m[3]), start: m[4] ?? '' })) continue;
    ids.push(Number(id));
  }
  return ids;
}

/** A bench-managed cluster whose record says it is gone (its state file removed with it). */
function destroyed(cluster: Cluster): boolean {
  const stateFile = (cluster.data as { stateFile?: unknown }).stateFile;
  return cluster.provider === 'netns' && typeof stateFile === 'string' && !existsSync(stateFile);
}

/**
 * Cancels the project's orphaned service and client jobs on every recorded cluster; one line per
 * cluster that had some or could not be asked. `keep`: job ids ledger rows still hold.
 */
export async function cancelOrphanedServiceJobs(projectRoot: string, cacheDir: string, o: { dryRun: boolean; signal: AbortSignal; keep: ReadonlySet<number> }): Promise<string[]> {
  const dir = recordsDir(cacheDir);
  if (!existsSync(dir)) return [];
  const lines: string[] = [];
  const project = projectId(projectRoot);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const cluster = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Cluster;
    const head = cluster.hosts.find((h) => h.role === 'head');
    const where = `${cluster.provider} cluster at ${head?.address ?? '?'}`;
    if (destroyed(cluster)) {
      // Its jobs went with it.
      if (!o.dryRun) rmSync(join(dir, f), { force: true });
      continue;
    }
    const pool = new SshPool({ connectRetries: 1 });
    try {
      const remote = new Remote(pool, cluster, o.signal);
      const listed = await remote.must(remote.head, ['squeue', '-h', '-o', '%i|%j|%k'], 'listing jobs');
      const orphans = orphanedServiceJobs(listed, project, { keep: o.keep });
      if (!orphans.length) continue;
      if (o.dryRun) {
        lines.push(`would cancel ${orphans.length} service/client jobs of dead runs on the ${where}: ${orphans.join(', ')}`);
        continue;
      }
      await remote.must(remote.head, ['scancel', ...orphans.map(String)], 'cancelling orphaned service jobs');
      lines.push(`cancelled ${orphans.length} service/client jobs of dead runs on the ${where}: ${orphans.join(', ')}`);
    } catch (e) {
      lines.push(`could not look for orphaned service jobs on the ${where}: ${(e as Error).message}`);
    } finally {
      await pool.close();
    }
  }
  return lines;
}

/** `bench gc`'s part: the lines of {@link cancelOrphanedServiceJobs}, sparing every job a ledger row still holds. */
export async function gcServiceJobs(projectRoot: string, cacheDir: string, ledgerHandles: readonly unknown[], dryRun: boolean): Promise<string[]> {
  const keep = new Set(ledgerHandles.flatMap((h) => {
    const id = (h as { jobId?: unknown } | null)?.jobId;
    return typeof id === 'number' ? [id] : [];
  }));
  return cancelOrphanedServiceJobs(projectRoot, cacheDir, { dryRun, signal: new AbortController().signal, keep });
}
