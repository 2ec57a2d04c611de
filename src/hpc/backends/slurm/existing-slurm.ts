/**
 * `configure` on a SLURM bench does not manage (an admin's cluster reached at its login host):
 * nothing on the cluster is changed. It checks that SLURM answers, picks the partition, reads
 * the settings that shape results, and finds how finished jobs can be collected. `stop` cancels
 * only the jobs bench submitted, by id, and only while they are still the user's `bench-` jobs.
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { shellQuote } from '../../remote/quote.js';
import type { BackendContext } from '../types.js';
import type { CollectionMethod } from './completions.js';
import { splitFields } from './jobcomp.js';
import { choosePartition, PARTITION_NODES_ARGV, parsePartitionNodes, type PartitionSummary } from './partition-nodes.js';
import { RemoteCommandError, type Remote } from '../../remote/remote.js';
import { SACCT_PROBE_ARGV } from './sacct.js';
import { JOB_NAME_PREFIX } from './sbatch.js';
import { isUnset, parseScontrolConfig, recordedSettings, schedulerOption, unappliedSettings } from './scontrol-config.js';

/** What `configure` learned about an existing SLURM, kept in the handle (JSON). */
export interface ExistingSlurm {
  managed: false;
  clusterName: string;
  /** `scontrol show config` of the controller, key by key. */
  clusterConfig: Record<string, string>;
  partition: PartitionSummary;
  /** The partition's own limits and policy (`scontrol show partition`). */
  partitionSettings: Record<string, string>;
  collection: CollectionMethod;
  /** Why this collection method, in words (recorded with each run). */
  collectionNote: string;
  /** bench config keys the cluster does not follow. */
  unapplied: string[];
  selectType: string;
  inspectSeconds: number;
  /** Local file listing the SLURM ids bench submitted, so `stop` can cancel exactly those. */
  jobsFile: string;
}

/** A cluster that cannot be used as it is: the message is the whole explanation. */
export class SlurmUnusableError extends Error {
  override name = 'SlurmUnusableError';
}

/** Partition settings that change when and where jobs run. */
const PARTITION_KEYS = ['State', 'Default', 'DefaultTime', 'MaxTime', 'MaxNodes', 'MinNodes', 'OverSubscribe', 'PriorityTier', 'PriorityJobFactor', 'PreemptMode', 'QoS', 'DefMemPerCPU', 'DefMemPerNode', 'MaxMemPerNode', 'TotalCPUs', 'TotalNodes', 'LLN', 'ExclusiveUser'];

/** The login host's IANA time zone, for reading times slurmctld wrote in its local time. */
const TIME_ZONE_SCRIPT = 'if [ -r /etc/timezone ]; then head -n1 /etc/timezone; else readlink /etc/localtime 2>/dev/null || echo UTC; fi';

/** A zone name Intl knows, from `/etc/timezone` or a `/etc/localtime` link; UTC otherwise. */
export function timeZoneFrom(text: string): string {
  const zone = text.trim().replace(/^.*zoneinfo\//, '') || 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

async function must(remote: Remote, command: string[], what: string): Promise<string> {
  try {
    return await remote.must(remote.head, command, what);
  } catch (e) {
    if (e instanceof RemoteCommandError) throw new SlurmUnusableError(`scheduler slurm: SLURM does not answer on ${remote.head.name}: ${e.message}`);
    throw e;
  }
}

/** sacct when accounting answers, else a completion log the login host can read, else squeue. */
async function findCollection(remote: Remote, config: ReadonlyMap<string, string>): Promise<{ method: CollectionMethod; note: string }> {
  const why: string[] = [];
  const storage = config.get('AccountingStorageType') ?? '';
  if (!isUnset(storage) && storage !== 'accounting_storage/none') {
    const r = await remote.exec(remote.head, [...SACCT_PROBE_ARGV]);
    if (r.code === 0) return { method: { kind: 'sacct' }, note: `sacct (${storage})` };
    why.push(`sacct fails (${(r.stderr.trim().split('\n')[0] ?? '') || `exit ${String(r.code)}`})`);
  } else why.push('no accounting (AccountingStorageType=accounting_storage/none)');
  const compType = config.get('JobCompType') ?? '';
  const loc = config.get('JobCompLoc') ?? '';
  if (compType === 'jobcomp/filetxt' && !isUnset(loc)) {
    const r = await remote.exec(remote.head, { script: `test -r ${shellQuote(loc)} && echo yes; ${TIME_ZONE_SCRIPT}` });
    const [readable, zone = ''] = r.stdout.split('\n');
    if (readable === 'yes') {
      const timeZone = timeZoneFrom(zone);
      return { method: { kind: 'jobcomp', path: loc, timeZone }, note: `${why.join('; ')}; completion log ${loc} (jobcomp/filetxt) read on ${remote.head.name}, times in ${timeZone}` };
    }
    why.push(`JobCompLoc ${loc} is not readable on ${remote.head.name}`);
  } else why.push(`no completion log (JobCompType=${compType || 'unset'})`);
  const minJobAgeS = parseInt(config.get('MinJobAge') ?? '300', 10);
  return { method: { kind: 'squeue', minJobAgeS }, note: `${why.join('; ')}; finished jobs are read from squeue, which lists them for MinJobAge=${minJobAgeS} s: a job gone before a poll sees it end fails the run` };
}

/** Inspects the SLURM answering on the login host; throws `SlurmUnusableError` when it cannot be used. */
export async function inspectExistingSlurm(remote: Remote, o: { config: Record<string, unknown>; ctx: BackendContext; jobsFile: string }): Promise<ExistingSlurm> {
  const started = Date.now();
  const missing = (await remote.exec(remote.head, { script: 'for c in sinfo scontrol squeue sbatch scancel; do command -v $c >/dev/null || echo $c; done' })).stdout.trim();
  if (missing) throw new SlurmUnusableError(`scheduler slurm: ${remote.head.name} has no ${missing.split('\n').join(', ')} on the PATH of ${remote.head.user}`);
  const nodes = parsePartitionNodes(await must(remote, [...PARTITION_NODES_ARGV], 'sinfo'));
  const config = parseScontrolConfig(await must(remote, ['scontrol', 'show', 'config'], 'scontrol show config'));
  const wanted = typeof o.config['partition'] === 'string' ? o.config['partition'] : undefined;
  const chosen = choosePartition(nodes, wanted);
  if ('error' in chosen) throw new SlurmUnusableError(`scheduler slurm: ${chosen.error}`);
  const part = splitFields((await must(remote, ['scontrol', 'show', 'partition', chosen.partition.name, '--oneliner'], 'scontrol show partition')).trim());
  const partitionSettings = Object.fromEntries(PARTITION_KEYS.flatMap((k) => (part.has(k) ? [[k, part.get(k) as string]] : [])));
  const state = partitionSettings['State'] ?? 'UP';
  if (state !== 'UP') throw new SlurmUnusableError(`scheduler slurm: partition ${chosen.partition.name} is ${state}: it does not ${state === 'DRAIN' ? 'accept' : 'run'} jobs`);
  const collection = await findCollection(remote, config);
  if (collection.method.kind === 'squeue' && collection.method.minJobAgeS < 10) o.ctx.log.warn(`slurm: MinJobAge=${collection.method.minJobAgeS} s: finished jobs leave squeue almost at once, so a run may miss them`);
  return {
    managed: false,
    clusterName: config.get('ClusterName') ?? '',
    clusterConfig: Object.fromEntries(config),
    partition: chosen.partition,
    partitionSettings,
    collection: collection.method,
    collectionNote: collection.note,
    unapplied: unappliedSettings(o.config, config),
    selectType: config.get('SelectType') ?? '',
    inspectSeconds: (Date.now() - started) / 1000,
    jobsFile: o.jobsFile,
  };
}

/** What a run on this cluster records about it: the settings that shaped the result and how it was observed. */
export function existingSettings(data: ExistingSlurm): Record<string, unknown> {
  const config = new Map(Object.entries(data.clusterConfig));
  const p = data.partition;
  return {
    cluster: 'existing SLURM, not managed by bench (its own slurm.conf)',
    cluster_name: data.clusterName,
    bf_interval: schedulerOption(config, 'bf_interval', '30 (SLURM default)'),
    sched_min_interval: schedulerOption(config, 'sched_min_interval', '2 (SLURM default, microseconds)'),
    select_type: data.selectType,
    slurm_config: recordedSettings(config),
    partition: p.name,
    partition_nodes: p.nodes,
    partition_cpus: p.cpus,
    partition_memory_mib: p.memoryMiB,
    partition_gpus: p.gpus,
    partition_node_states: p.states,
    partition_settings: data.partitionSettings,
    collection: data.collection.kind,
    collection_note: data.collectionNote,
    inspect_s: Math.round(data.inspectSeconds * 1000) / 1000,
  };
}

/** Appends a submitted SLURM job id to the run's record (a local file: it outlives a crashed process). */
export function recordSubmitted(jobsFile: string, slurmId: number): void {
  appendFileSync(jobsFile, `${slurmId}\n`);
}

/**
 * Cancels the jobs of `jobsFile` that the cluster still lists as the SSH user's own `bench-`
 * jobs (so an id that was never bench's is never touched), then forgets them. Returns how many.
 */
export async function cancelSubmitted(remote: Remote, jobsFile: string): Promise<number> {
  if (!existsSync(jobsFile)) return 0;
  const ours = new Set(readFileSync(jobsFile, 'utf8').split('\n').filter((l) => /^\d+$/.test(l)).map(Number));
  let ids: number[] = [];
  if (ours.size) {
    const q = await remote.exec(remote.head, ['squeue', '-h', '--me', '-o', '%i|%j']);
    if (q.code !== 0) throw new RemoteCommandError(remote.head.name, 'squeue (finding bench\'s jobs to cancel)', q);
    ids = q.stdout.split('\n').map((l) => l.trim().split('|')).filter(([id, name]) => id && ours.has(Number(id)) && name?.startsWith(JOB_NAME_PREFIX)).map(([id]) => Number(id));
    if (ids.length) await remote.must(remote.head, ['scancel', ...ids.map(String)], 'scancel');
  }
  rmSync(jobsFile, { force: true });
  return ids.length;
}
