/**
 * A SLURM bench does not manage, reached at its login host with provider `ssh`. A 1 head + 2
 * compute netns cluster with SLURM configured by bench's managed path stands for a cluster an
 * admin set up; bench then uses it as it is: configure only inspects (slurm.conf, munge key and
 * daemons untouched), run submits with sbatch to the partition and builds records from the
 * cluster's own completion records, stop cancels only bench's jobs and leaves the admin's SLURM
 * running. Needs root, iproute2, util-linux, openssh-server, munge and slurm-wlm; under CI=true
 * it runs or fails, never skips.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupNetnsLeftovers, netnsProvider } from '../../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor } from '../../src/hpc/backends/registry.js';
import { slurmScheduler, type SlurmRunResult } from '../../src/hpc/backends/slurm/index.js';
import { SlurmSchedulerSchema, type SlurmSchedulerConfig } from '../../src/hpc/backends/slurm/config-schema.js';
import { sshProvider } from '../../src/hpc/backends/ssh/ssh-provider.js';
import type { BackendContext, Cluster, Host, SchedulerHandle, Topology } from '../../src/hpc/backends/types.js';
import { SshPool, sshTarget } from '../../src/hpc/remote/ssh-pool.js';
import type { JobSpec } from '../../src/hpc/workload/job.js';
import { expectCompletedAsSubmitted } from '../support/slurm-records.js';
import { namespaceInodes, processesIn, type Proc } from '../support/procs.js';
import { NETNS, SLURM, gate } from '../support/requirements.js';
import { eventually } from '../support/wait.js';

const root = resolve(import.meta.dirname, '../..');
const { describe } = gate('SLURM over provider ssh test', [...NETNS, ...SLURM]);

const topology: Topology = { name: 'slurm-ssh-it', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 4, memory_gib: 4, gpus: 1 } };
const TIME_SCALE = 0.1;
const stateDir = mkdtempSync(join(tmpdir(), 'bench-slurm-ssh-it-'));
const netnsConfig = { kind: 'netns', subnet: '10.87.0.0/24', bridge: 'bns', scale_to_host: true, state_dir: stateDir, ready_timeout_s: 30, host_state: hostStateFor('netns') };
const adminConfig = SlurmSchedulerSchema.parse(parse(readFileSync(join(root, 'conf/scheduler/slurm.yaml'), 'utf8')));
/** bench's config for the run: bf_interval differs from the admin's (1), so it is reported as not applied. */
const benchConfig: SlurmSchedulerConfig = { kind: 'slurm', SelectType: 'select/cons_tres', SchedulerParameters: { bf_interval: 30 } };
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const ctx: BackendContext = { signal: new AbortController().signal, log: quiet, workDir: stateDir };

/** Six jobs 0.4 s apart (real), 2-3.5 s long, 1-3 cores; the fourth spans both nodes. */
function workload(n = 6): JobSpec[] {
  return Array.from({ length: n }, (_, i): JobSpec => ({
    id: i + 1, user: `u${i % 2}`, submit: i * 4, cores: i === 3 ? 2 : 1 + (i % 3), nodes: i === 3 ? 2 : 0, gpus: 0, memoryMiB: 256, runtime: 20 + (i * 5) % 20, walltime: 600,
  }));
}

const daemons = (ps: Proc[]) => ps.filter((p) => /^(slurmctld|slurmd|slurmstepd|munged)$/.test(p.comm)).map((p) => `${p.comm}:${p.pid}`).sort();

describe('SLURM bench does not manage, over provider ssh', () => {
  let netns: Cluster | undefined;
  let admin: SchedulerHandle | undefined;
  let login: Cluster;
  let handle: SchedulerHandle;
  let inodes = new Set<string>();
  const pool = new SshPool();
  let head: Host;
  /** A command on the head as the admin would run it (over the netns cluster's own SSH). */
  const onHead = async (script: string): Promise<string> => {
    const r = await pool.exec(sshTarget(head, netns as Cluster), { script }, { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`${script}: exit ${String(r.code)}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const FILES = 'sha256sum /etc/slurm/slurm.conf /etc/munge/munge.key; stat -c %Y /etc/slurm/slurm.conf';

  beforeAll(async () => {
    netns = await netnsProvider.up(topology, netnsConfig, ctx);
    inodes = namespaceInodes(netns);
    admin = await slurmScheduler.configure(netns, adminConfig, ctx);
    head = netns.hosts.find((h) => h.role === 'head') as Host;
    // The provider refuses hosts whose key it has not been given: record the head's as an admin would.
    const knownHosts = join(stateDir, 'known_hosts');
    writeFileSync(knownHosts, `${head.address} ${head.hostKey ?? ''}\n`);
    login = await sshProvider.up({} as Topology, { kind: 'ssh', hosts: [head.address], user: 'root', key: netns.clientKeyPath ?? '', known_hosts: knownHosts }, ctx);
  }, 120_000);

  afterAll(async () => {
    await pool.close();
    if (admin) await slurmScheduler.stop(admin, ctx).catch(() => undefined);
    if (netns) await netnsProvider.down(netns, ctx).catch(() => undefined);
    await cleanupNetnsLeftovers({ state_dir: stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it('configure inspects the SLURM that is there and changes nothing: config, munge key and daemons as they were', async () => {
    expect(login.data['manageScheduler']).toBe(false);
    const files = await onHead(FILES);
    const running = daemons(processesIn(inodes));
    expect(running.map((d) => d.split(':')[0])).toEqual(['munged', 'munged', 'munged', 'slurmctld', 'slurmd', 'slurmd']);

    handle = await slurmScheduler.configure(login, benchConfig, ctx);
    expect(await onHead(FILES)).toBe(files);
    expect(daemons(processesIn(inodes))).toEqual(running);
    expect(handle.data).toMatchObject({
      managed: false, selectType: 'select/cons_tres',
      partition: { name: 'batch', nodes: 2, cpus: 8, memoryMiB: 8192, gpus: 2, states: { idle: 2 } },
      collection: { kind: 'jobcomp', path: '/var/log/slurm/jobcomp.txt' },
      unapplied: [expect.stringMatching(/^scheduler\.SchedulerParameters\.bf_interval=30 is not applied: .* has bf_interval=1$/)],
    });

    await expect(slurmScheduler.configure(login, { ...benchConfig, partition: 'gpu' }, ctx)).rejects.toThrow(/partition gpu \(scheduler\.partition\) does not exist or has no nodes; partitions: batch \(default\)/);
    await expect(slurmScheduler.configure(login, { ...benchConfig, manage: true }, ctx)).rejects.toThrow(/hosts run their own scheduler/);
    expect(await onHead(FILES)).toBe(files);
  }, 60_000);

  it('runs six jobs with sbatch on the partition and records each from the cluster\'s completion log', async () => {
    const specs = workload();
    const r = (await slurmScheduler.run(handle, specs, { timeScale: TIME_SCALE, seed: 1, ctx })) as SlurmRunResult;
    expectCompletedAsSubmitted(r.jobs, specs, TIME_SCALE, [1, 2]);
    expect(r.jobs[0]?.submit).toBe(0);
    expect(r.settings).toMatchObject({
      cluster: expect.stringMatching(/not managed by bench/), partition: 'batch', partition_nodes: 2, partition_cpus: 8, collection: 'jobcomp',
      bf_interval: 1, sched_min_interval: 0, select_type: 'select/cons_tres', time_scale: TIME_SCALE,
      slurm_config: expect.objectContaining({ SchedulerType: 'sched/backfill', SelectTypeParameters: 'CR_CORE_MEMORY', SLURM_VERSION: expect.stringMatching(/^22\./) }),
    });
    expect(r.warnings).toContainEqual(expect.stringMatching(/SchedulerParameters\.bf_interval=30 is not applied/));
    expect(r.hosts.filter((s) => s.host === head.address).length).toBeGreaterThan(1);
    // Every job went to the partition by name, and bench kept the ids it submitted for stop.
    const ids = readFileSync(String(handle.data['jobsFile']), 'utf8').trim().split('\n');
    expect(ids).toHaveLength(6);
    const lines = (await onHead('cat /var/log/slurm/jobcomp.txt')).split('\n').filter((l) => ids.includes(/^JobId=(\d+)/.exec(l)?.[1] ?? ''));
    expect(lines.map((l) => /Partition=(\S+)/.exec(l)?.[1])).toEqual(Array(6).fill('batch'));
  }, 120_000);

  it('collects from squeue when the cluster keeps no records bench can read, and ends a job that can never start as failed', async () => {
    // A cluster without slurmdbd and without a readable jobcomp log: the same cluster, told to use squeue.
    const bare: SchedulerHandle = { ...handle, data: { ...handle.data, collection: { kind: 'squeue', minJobAgeS: 300 } } };
    const specs = workload(3).map((s) => (s.id === 2 ? { ...s, nodes: 3, cores: 3 } : s));
    const r = (await slurmScheduler.run(bare, specs, { timeScale: TIME_SCALE, seed: 1, ctx })) as SlurmRunResult;
    expect(r.jobs.map((j) => [j.id, j.state])).toEqual([[1, 'completed'], [2, 'failed'], [3, 'completed']]);
    expect(r.jobs[1]).toMatchObject({ nodes: 0 });
    for (const j of [r.jobs[0], r.jobs[2]]) {
      expect(j?.start).toBeGreaterThanOrEqual(j?.submit ?? Infinity);
      expect(j?.end).toBeGreaterThan(j?.start ?? Infinity);
      expect(j?.nodes).toBe(1);
    }
    expect(r.settings['collection']).toBe('squeue');
    expect(r.warnings).toContainEqual(expect.stringMatching(/^1 job\(s\) could never start as submitted and were cancelled, recorded as failed: SLURM job \d+ \(Partition\w+\)$/));
  }, 120_000);

  it('stop cancels only the jobs bench submitted and leaves the admin\'s SLURM running', async () => {
    const submit = (name: string) => onHead(`sbatch --parsable --job-name=${name} --output=/dev/null --wrap='sleep 300'`);
    const adminJob = await submit('admin-job');
    const otherBench = await submit('bench-98');
    // A job of a run that died before its jobs ended: recorded, still running.
    const leftover = await submit('bench-99');
    appendFileSync(String(handle.data['jobsFile']), `${leftover}\n`);
    const running = daemons(processesIn(inodes)).filter((d) => !d.startsWith('slurmstepd'));

    await slurmScheduler.stop(handle, ctx);
    const states = async () => new Map((await onHead('squeue -h -t all -o "%i %T"')).split('\n').map((l) => l.split(' ') as [string, string]));
    // scancel is asynchronous: the job passes through COMPLETING while its step is killed.
    const deadline = Date.now() + 30_000;
    while ((await states()).get(leftover) === 'COMPLETING' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await states()).get(leftover)).toBe('CANCELLED');
    expect((await states()).get(adminJob)).toMatch(/^(RUNNING|PENDING)$/);
    expect((await states()).get(otherBench)).toMatch(/^(RUNNING|PENDING)$/);
    expect(daemons(processesIn(inodes)).filter((d) => !d.startsWith('slurmstepd'))).toEqual(running);
    expect(await onHead('scontrol ping')).toMatch(/Slurmctld\(primary\) at \S+ is UP/);
    // Idempotent: nothing recorded is left to cancel.
    await slurmScheduler.stop(handle, ctx);
    expect((await states()).get(otherBench)).toMatch(/^(RUNNING|PENDING)$/);
    await onHead(`scancel ${adminJob} ${otherBench}`);
  }, 60_000);

  it('the admin\'s SLURM and the hosts go down and leave no namespace and no process', async () => {
    await slurmScheduler.stop(admin as SchedulerHandle, ctx);
    admin = undefined;
    expect(await eventually(() => daemons(processesIn(inodes)).length === 0)).toBe(true);
    await pool.close();
    await netnsProvider.down(netns as Cluster, ctx);
    const id = String(netns?.data['id']);
    netns = undefined;
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toContain(`bench-${id}-`);
    expect(await eventually(() => processesIn(inodes).length === 0)).toBe(true);
  }, 120_000);
});
