import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cancelSubmitted, existingSettings, inspectExistingSlurm, timeZoneFrom } from '../../../../../src/hpc/backends/slurm/existing-slurm.js';
import { renderSlurmConf } from '../../../../../src/hpc/backends/slurm/render-slurm-conf.js';
import { SlurmSchedulerSchema } from '../../../../../src/hpc/config/schema.js';
import { localRemote, standIn } from './local-remote.js';

const fixtures = resolve(import.meta.dirname, 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'bench-existing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const warnings: string[] = [];
const ctx = { signal: new AbortController().signal, log: { info: () => undefined, debug: () => undefined, warn: (m: string) => void warnings.push(m) }, workDir: dir };
const q = (s: string) => `'${s}'`;

/**
 * Stand-ins for the login host's SLURM commands answering with text captured from a real
 * 22.05.8 cluster; `edits` are sed expressions applied to its `scontrol show config`.
 */
function login(o: { edits?: string[]; sacct?: string; sinfo?: string } = {}): ReturnType<typeof localRemote> {
  const bin = mkdtempSync(join(dir, 'bin-'));
  const sed = (o.edits ?? []).map((e) => `-e ${q(e)}`).join(' ') || "-e ''";
  standIn(bin, 'sinfo', o.sinfo ?? `cat ${q(join(fixtures, 'sinfo-nodes.txt'))}`);
  standIn(bin, 'scontrol', `case "$2" in config) sed ${sed} ${q(join(fixtures, 'scontrol-show-config.txt'))} ;; partition) [ "$3" = debug ] && cat ${q(join(fixtures, 'scontrol-show-partition.txt'))} ;; esac`);
  standIn(bin, 'sacct', o.sacct ?? 'echo "Slurm accounting storage is disabled" >&2; exit 1');
  for (const c of ['squeue', 'sbatch', 'scancel']) standIn(bin, c, 'exit 0');
  return localRemote(bin);
}

const inspect = (remote: ReturnType<typeof localRemote>, config: Record<string, unknown> = { kind: 'slurm', partition: 'debug' }) =>
  inspectExistingSlurm(remote, { config, ctx, jobsFile: join(dir, 'jobs.txt') });

describe('inspecting a SLURM bench does not manage', () => {
  it('reads the completion log when there is no accounting and the login host can read it', async () => {
    const log = join(dir, 'jobcomp.txt');
    writeFileSync(log, '');
    const s = await inspect(login({ edits: [`s|^JobCompLoc .*|JobCompLoc = ${log}|`] }), { kind: 'slurm', partition: 'debug', SchedulerParameters: { bf_interval: 30 } });
    expect(s.collection).toMatchObject({ kind: 'jobcomp', path: log });
    // The zone is this machine's (the login host's), whatever it is here: one Intl can use.
    expect(() => new Intl.DateTimeFormat('en-US', { timeZone: (s.collection as { timeZone: string }).timeZone })).not.toThrow();
    expect(s.collectionNote).toMatch(/^no accounting \(AccountingStorageType=accounting_storage\/none\); completion log .*jobcomp\.txt \(jobcomp\/filetxt\) read on login/);
    expect(s.partition).toEqual({ name: 'debug', nodes: 1, cpus: 4, memoryMiB: 4096, gpus: 1, states: { idle: 1 } });
    expect(s.partitionSettings).toMatchObject({ State: 'UP', MaxTime: '00:10:00', OverSubscribe: 'NO', TotalCPUs: '4' });
    expect(s.unapplied).toEqual([expect.stringMatching(/^scheduler\.SchedulerParameters\.bf_interval=30 is not applied/)]);
    const settings = existingSettings(s);
    expect(settings).toMatchObject({ bf_interval: 1, sched_min_interval: 0, select_type: 'select/cons_tres', partition: 'debug', partition_cpus: 4, collection: 'jobcomp' });
    expect(settings['slurm_config']).toMatchObject({ SchedulerType: 'sched/backfill', SLURM_VERSION: '22.05.8' });
  });

  it('uses sacct when accounting answers', async () => {
    const s = await inspect(login({ edits: ['s|^AccountingStorageType .*|AccountingStorageType = accounting_storage/slurmdbd|'], sacct: 'exit 0' }));
    expect(s.collection).toEqual({ kind: 'sacct' });
    expect(s.collectionNote).toBe('sacct (accounting_storage/slurmdbd)');
  });

  it('falls back to squeue, saying why, when sacct fails and there is no log it can read', async () => {
    const s = await inspect(login({
      edits: ['s|^AccountingStorageType .*|AccountingStorageType = accounting_storage/slurmdbd|', 's|^MinJobAge .*|MinJobAge = 5 sec|'],
      sacct: 'echo "sacct: error: Problem talking to the database: Connection refused" >&2; exit 1',
    }));
    expect(s.collection).toEqual({ kind: 'squeue', minJobAgeS: 5 });
    expect(s.collectionNote).toBe('sacct fails (sacct: error: Problem talking to the database: Connection refused); JobCompLoc /var/log/slurm/jobcomp.txt is not readable on login; '
      + 'finished jobs are read from squeue, which lists them for MinJobAge=5 s: a job gone before a poll sees it end fails the run');
    expect(warnings.at(-1)).toMatch(/MinJobAge=5 s: finished jobs leave squeue almost at once/);
    const none = await inspect(login({ edits: ['s|^JobCompType .*|JobCompType = jobcomp/none|'] }));
    expect(none.collectionNote).toMatch(/^no accounting .*; no completion log \(JobCompType=jobcomp\/none\); finished jobs are read from squeue/);
  });

  it('refuses, with SLURM\'s own words, when SLURM does not answer or the partition is missing', async () => {
    await expect(inspect(login({ sinfo: 'echo "slurm_load_partitions: Unable to contact slurm controller (connect failure)" >&2; exit 1' })))
      .rejects.toThrow(/^scheduler slurm: SLURM does not answer on login: login: sinfo failed \(exit 1\): slurm_load_partitions: Unable to contact slurm controller/);
    await expect(inspect(login(), { kind: 'slurm', partition: 'gpu' })).rejects.toThrow('partition gpu (scheduler.partition) does not exist or has no nodes; partitions: batch (default), debug');
  });

  it('reads the login host\'s time zone name, or takes UTC', () => {
    expect(timeZoneFrom('Europe/Berlin\n')).toBe('Europe/Berlin');
    expect(timeZoneFrom('/usr/share/zoneinfo/America/New_York')).toBe('America/New_York');
    expect(timeZoneFrom('../zoneinfo/Etc/UTC')).toBe('Etc/UTC');
    expect(timeZoneFrom('Not/AZone')).toBe('UTC');
    expect(timeZoneFrom('')).toBe('UTC');
  });
});

describe('cancelling on a cluster bench does not manage', () => {
  it('cancels only its own recorded jobs that the user still has as bench jobs, then forgets them', async () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const cancelled = join(bin, 'cancelled');
    // Job 6 is the user's own job that happens to have an id bench recorded; 9 is another bench run's.
    standIn(bin, 'squeue', '[ "$2" = --me ] && printf "5|bench-1\\n6|admin-job\\n9|bench-3\\n"');
    standIn(bin, 'scancel', `echo "$@" > ${q(cancelled)}`);
    const jobsFile = join(dir, 'submitted.txt');
    writeFileSync(jobsFile, '5\n6\n7\n');
    expect(await cancelSubmitted(localRemote(bin), jobsFile)).toBe(1);
    expect(readFileSync(cancelled, 'utf8').trim()).toBe('5');
    expect(existsSync(jobsFile)).toBe(false);
    expect(await cancelSubmitted(localRemote(bin), jobsFile)).toBe(0);
  });
});

describe('scheduler.partition', () => {
  it('is a bench setting: validated as a name, never written to slurm.conf', () => {
    expect(SlurmSchedulerSchema.safeParse({ kind: 'slurm', partition: 'debug' }).success).toBe(true);
    expect(SlurmSchedulerSchema.safeParse({ kind: 'slurm', partition: 5 }).success).toBe(false);
    expect(SlurmSchedulerSchema.safeParse({ kind: 'slurm', partition: '' }).success).toBe(false);
    const host = { role: 'compute' as const, address: '10.87.0.3', port: 22, user: 'root', cpus: 4, memoryMiB: 4096, gpus: 0 };
    const cluster = { provider: 'netns', data: {}, hosts: [{ ...host, name: 'head', role: 'head' as const, address: '10.87.0.2' }, { ...host, name: 'c1' }] };
    const r = renderSlurmConf(cluster, { kind: 'slurm', partition: 'debug' }, { clusterName: 'b' });
    expect(r.diagnostics).toEqual([]);
    expect(r.text).not.toMatch(/debug/);
  });
});
