/**
 * `executor=slurm executor.provider=ssh`: a sweep's tasks on an existing SLURM cluster reached at
 * its login node. A netns cluster (1 head + 3 compute hosts, SLURM configured by bench's managed
 * path) stands for a cluster an admin runs; the coordinator knows only the head's address, its
 * host key (a known_hosts file) and a client key. One run moves every file over SFTP (staging,
 * job directories, outputs), one through a shared directory. Both give the local run's metrics
 * rows byte for byte, and the SLURM cluster is left as it was. The netns hosts see this machine's
 * filesystem, so the shared directory is an ordinary directory here (not a bind mount), and the
 * SFTP run cannot prove the coordinator never reads the cluster's directory; the summary line
 * says how many bytes went over SFTP. Needs root, iproute2, util-linux, openssh-server, munge and
 * slurm-wlm; under CI=true it runs or fails, never skips.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanupNetnsLeftovers, netnsProvider } from '../../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor } from '../../src/hpc/backends/registry.js';
import { slurmScheduler } from '../../src/hpc/backends/slurm/index.js';
import type { BackendContext, Cluster, Host, SchedulerHandle, Topology } from '../../src/hpc/backends/types.js';
import { SshPool, sshTarget } from '../../src/hpc/remote/ssh-pool.js';
import { processesIn } from '../support/procs.js';
import { NETNS, SLURM, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('SLURM executor over provider ssh test', [...NETNS, ...SLURM]);

const SWEEP = ['report:pareto', 'experiment=none', 'scheduler=flux,slurm,kubernetes', 'repetitions=2'];
const topology: Topology = { name: 'executor-ssh-it', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 3, vcpus: 2, memory_gib: 4, gpus: 0 } };
const stateDir = mkdtempSync(join(tmpdir(), 'bench-exec-ssh-it-'));
const netnsConfig = { kind: 'netns', subnet: '10.92.0.0/24', bridge: 'bxss0', scale_to_host: true, state_dir: stateDir, ready_timeout_s: 60, host_state: hostStateFor('netns') };
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const ctx: BackendContext = { signal: new AbortController().signal, log: quiet, workDir: stateDir };

/**
 * A copy of the library as it is when the file starts: its runs span minutes, and a build in the
 * working tree meanwhile would change the code its tasks' fingerprints record (a rerun would then
 * run everything afresh instead of adopting or skipping).
 */
function snapshotLibrary(): string {
  const lib = mkdtempSync(join(tmpdir(), 'bench-exec-ssh-lib-'));
  for (const p of ['package.json', 'package-lock.json', 'bin', 'dist', 'src']) cpSync(join(REPO, p), join(lib, p), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(lib, 'node_modules'));
  return lib;
}
let LIB = REPO;
let BIN = join(REPO, 'bin', 'bench.js');

function project(prefix: string): string {
  return copyProject(prefix, { lib: LIB });
}

function bench(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 900_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Tasks SLURM ran from the batch directories under the cluster's root (SLURM's output beside each). */
function submitted(clusterRoot: string): number {
  const batches = join(clusterRoot, 'batches');
  const ran = existsSync(batches) ? readdirSync(batches).filter((b) => readdirSync(join(batches, b)).some((f) => f.startsWith('slurm-'))) : [];
  return ran.reduce((n, b) => n + readFileSync(join(batches, b, 'dirs'), 'utf8').split('\n').filter(Boolean).length, 0);
}

describe('a sweep\'s tasks on an existing SLURM cluster, over SSH', () => {
  let netns: Cluster | undefined;
  let slurm: SchedulerHandle | undefined;
  let head: Host;
  let login: string[] = [];
  let local = '';
  const made: string[] = [stateDir];
  const pool = new SshPool();
  /** squeue on the head: what is left in the admin's queue. */
  const queue = async (): Promise<string> => (await pool.exec(sshTarget(head, netns as Cluster), ['squeue', '-h', '-o', '%i %j'], { timeoutMs: 30_000 })).stdout.trim();

  beforeAll(async () => {
    LIB = snapshotLibrary();
    BIN = join(LIB, 'bin', 'bench.js');
    made.push(LIB);
    netns = await netnsProvider.up(topology, netnsConfig, ctx);
    // A lost node is noticed after SlurmdTimeout (300 s by default): short here, so the test sees the requeue.
    slurm = await slurmScheduler.configure(netns, { kind: 'slurm', SchedulerType: 'sched/backfill', SelectType: 'select/cons_tres', SelectTypeParameters: 'CR_Core', SlurmdTimeout: 10 }, ctx);
    head = netns.hosts.find((h) => h.role === 'head') as Host;
    const knownHosts = join(stateDir, 'known_hosts');
    writeFileSync(knownHosts, `${head.address} ${head.hostKey ?? ''}\n`);
    login = ['executor=slurm', 'executor.provider=ssh', `executor.hosts=[${head.address}]`, 'executor.user=root',
      `executor.key=${netns.clientKeyPath ?? ''}`, `executor.known_hosts=${knownHosts}`, `executor.node=${process.execPath}`];
    local = project('bench-exec-ssh-local-');
    made.push(local);
    const l = bench(local, ...SWEEP);
    expect(l.code, l.err).toBe(0);
  }, 600_000);

  afterAll(async () => {
    await pool.close();
    if (slurm) await slurmScheduler.stop(slurm, ctx).catch(() => undefined);
    if (netns) await netnsProvider.down(netns, ctx).catch(() => undefined);
    await cleanupNetnsLeftovers({ state_dir: stateDir }).catch(() => 0);
    for (const d of made) rmSync(d, { recursive: true, force: true });
  }, 180_000);

  it('moves staging, job files and outputs over SFTP, with the local run\'s metrics rows; a second run does nothing', async () => {
    const dir = project('bench-exec-sftp-');
    const clusterRoot = mkdtempSync(join(tmpdir(), 'bench-exec-sftp-cluster-'));
    made.push(dir, clusterRoot);
    const args = [...SWEEP, ...login, `executor.remote_cache_dir=${clusterRoot}`];
    const r = bench(dir, ...args);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toMatch(/done: \d+ ran, 0 up to date, 0 failed/);
    expect(r.out).toContain(`job files over SFTP in ${clusterRoot}`);
    expect(r.out).toMatch(/uploading [\d.]+ MiB to \S+\/lib\/\w+ over SFTP/);
    expect(r.out).toMatch(/files sftp: .*[\d.]+ MiB up, [\d.]+ MiB down/);
    expect(submitted(clusterRoot)).toBe(12);
    // Staged once: one library and one project, each under its content hash.
    expect(readdirSync(join(clusterRoot, 'lib'))).toHaveLength(1);
    expect(readdirSync(join(clusterRoot, 'project'))).toHaveLength(1);
    expect(readFileSync(join(dir, 'results', 'metrics.arrow')).equals(readFileSync(join(local, 'results', 'metrics.arrow')))).toBe(true);
    // Collected jobs leave nothing on the cluster; the admin's SLURM still runs and holds none of ours.
    expect(readdirSync(join(clusterRoot, 'jobs'))).toEqual([]);
    expect(await queue()).toBe('');

    const again = bench(dir, ...args);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/done: 0 ran, \d+ up to date, 0 failed/);
    expect(submitted(clusterRoot)).toBe(12);
    console.log(`sftp: ${/\d+ tasks in \d+ job arrays[^\n]*/.exec(r.out)?.[0] ?? ''}`);
  }, 900_000);

  it('passes files through a shared directory instead, with the same rows', async () => {
    const dir = project('bench-exec-shared-');
    const shared = mkdtempSync(join(tmpdir(), 'bench-exec-shared-dir-'));
    made.push(dir, shared);
    const r = bench(dir, ...SWEEP, ...login, `executor.shared_dir=${shared}`);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toContain(`job files in the shared ${shared}`);
    expect(r.out).not.toMatch(/over SFTP/);
    expect(r.out).toMatch(/files shared: /);
    expect(submitted(shared)).toBe(12);
    expect(readFileSync(join(dir, 'results', 'metrics.arrow')).equals(readFileSync(join(local, 'results', 'metrics.arrow')))).toBe(true);
    expect(await queue()).toBe('');
    console.log(`shared: ${/\d+ tasks in \d+ job arrays[^\n]*/.exec(r.out)?.[0] ?? ''}`);
  }, 900_000);

  it('adopts over SFTP the jobs of a coordinator killed with -9 instead of submitting them again', async () => {
    const dir = project('bench-exec-sftp-kill-');
    const clusterRoot = mkdtempSync(join(tmpdir(), 'bench-exec-sftp-kill-cluster-'));
    made.push(dir, clusterRoot);
    const args = [...SWEEP, ...login, `executor.remote_cache_dir=${clusterRoot}`];
    const killedLog = join(clusterRoot, 'killed-coordinator.log');
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', openSync(killedLog, 'w'), 'ignore'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed once SLURM holds tasks (their local job directories name a SLURM id).
    const jobs = join(dir, 'cache', 'executor', 'jobs');
    await until('a task submitted to SLURM', () => (existsSync(jobs) && readdirSync(jobs).some((j) => existsSync(join(jobs, j, 'slurm-id'))) ? true : undefined), 600_000, 50);
    child.kill('SIGKILL');
    await exited;
    const r = bench(dir, ...args);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out, `killed coordinator:\n${readFileSync(killedLog, 'utf8')}\nrerun:\n${r.out}`).toMatch(/adopted SLURM job \d+_\d+ of a killed run/);
    // Nothing went to SLURM twice: 6 runs and 6 metrics over both coordinators.
    expect(submitted(clusterRoot)).toBe(12);
    expect(readFileSync(join(dir, 'results', 'metrics.arrow')).equals(readFileSync(join(local, 'results', 'metrics.arrow')))).toBe(true);
    expect(await queue()).toBe('');
  }, 900_000);

  it('bench gc cancels the jobs a killed coordinator left, and only those', async () => {
    const dir = project('bench-exec-gc-');
    const shared = mkdtempSync(join(tmpdir(), 'bench-exec-gc-dir-'));
    made.push(dir, shared);
    const onHead = async (argv: string[]): Promise<string> => {
      const r = await pool.exec(sshTarget(head, netns as Cluster), argv, { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    const partition = (await onHead(['sinfo', '-h', '-o', '%P'])).split('\n')[0]?.replace('*', '') ?? '';
    // Jobs stay queued while the partition is down, so the killed coordinator surely leaves some.
    await onHead(['scontrol', 'update', `PartitionName=${partition}`, 'State=DOWN']);
    try {
      const foreign = await onHead(['sbatch', '--parsable', '--job-name=someone-else', '--comment=bench-x not ours', '--wrap=sleep 600']);
      const child = spawn(process.execPath, [BIN, ...SWEEP, ...login, `executor.shared_dir=${shared}`], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await until('a job array of ours in the queue', async () => ((await queue()).includes('bench-x-') ? true : undefined), 600_000, 100);
      child.kill('SIGKILL');
      await exited;
      const r = bench(dir, 'gc');
      expect(r.code, `${r.out}\n${r.err}`).toBe(0);
      expect(r.out).toMatch(new RegExp(`cancelled \\d+ job arrays of dead coordinators on ${head.address.replace(/\./g, '\\.')}`));
      const left = await until('our jobs gone from the queue', async () => {
        const q = await queue();
        return q.includes('bench-x-') ? undefined : q;
      }, 60_000, 200);
      expect(left.split('\n').map((l) => l.split(' ')[0])).toEqual([foreign.split(';')[0]]);
      await onHead(['scancel', foreign.split(';')[0] ?? '']);
    } finally {
      await onHead(['scontrol', 'update', `PartitionName=${partition}`, 'State=UP']);
    }
  }, 900_000);

  it('completes the sweep when a compute host is lost mid-sweep: its jobs are requeued, none is collected twice', async () => {
    const dir = project('bench-exec-lost-');
    const shared = mkdtempSync(join(tmpdir(), 'bench-exec-lost-dir-'));
    made.push(dir, shared);
    const args = ['report:pareto', 'experiment=none', 'scheduler=flux,slurm,kubernetes', 'repetitions=3', ...login, `executor.shared_dir=${shared}`];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // The victim: a compute host running one of our jobs.
    const victim = await until('a job of ours running on a compute host', async () => {
      const r = await pool.exec(sshTarget(head, netns as Cluster), ['squeue', '-h', '-t', 'RUNNING', '-o', '%N %j'], { timeoutMs: 30_000 });
      return r.stdout.split('\n').map((l) => l.trim().split(' ')).find(([n, j]) => n && j?.startsWith('bench-x-'))?.[0];
    }, 600_000, 100);
    const hostNs = ((netns as Cluster).data['hosts'] as Array<{ name: string; netns: string }>).find((h) => h.name === victim)?.netns;
    const inode = spawnSync('stat', ['-L', '-c', '%i', `/run/netns/${String(hostNs)}`], { encoding: 'utf8' }).stdout.trim();
    // The node is lost: slurmd, its job steps and the jobs' processes die (sshd stays, as a console would).
    const killed = processesIn(new Set([inode])).filter((p) => p.comm !== 'sshd' && p.comm !== 'munged');
    expect(killed.map((p) => p.comm)).toContain('slurmd');
    for (const p of killed) {
      try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    }
    expect(await exited, out).toBe(0);
    expect(out).toMatch(/done: \d+ ran, 0 up to date, 0 failed/);
    // SLURM saw the node go and requeued what ran there, and the sweep finished on the others.
    const sinfo = await pool.exec(sshTarget(head, netns as Cluster), ['sinfo', '-h', '-N', '-n', String(victim), '-o', '%T'], { timeoutMs: 30_000 });
    expect(sinfo.stdout.trim()).toMatch(/down|drain|fail/i);
    const local3 = project('bench-exec-lost-local-');
    made.push(local3);
    const l = bench(local3, ...args.slice(0, 5));
    expect(l.code, l.err).toBe(0);
    expect(readFileSync(join(dir, 'results', 'metrics.arrow')).equals(readFileSync(join(local3, 'results', 'metrics.arrow')))).toBe(true);
    // Every task was collected once: 9 runs and 9 metrics, each committed by one attempt.
    expect(out.match(/✓ (workload:run|metrics)\[/g) ?? []).toHaveLength(18);
    expect(await queue()).toBe('');
    // SLURM ended the lost node's jobs NODE_FAIL and requeued them (its completion records).
    const compLoc = /JobCompLoc\s*=\s*(\S+)/.exec(await pool.exec(sshTarget(head, netns as Cluster), ['scontrol', 'show', 'config'], { timeoutMs: 30_000 }).then((r) => r.stdout))?.[1] ?? '';
    const comp = await pool.exec(sshTarget(head, netns as Cluster), ['cat', compLoc], { timeoutMs: 30_000 });
    const states = comp.stdout.split('\n').filter((l) => l.includes('bench-x-')).map((l) => /JobState=(\S+)/.exec(l)?.[1] ?? '?');
    expect(states).toContain('NODE_FAIL');
    const tally = [...new Set(states)].map((st) => `${st} ${states.filter((x) => x === st).length}`).join(', ');
    console.log(`lost node ${String(victim)}: killed ${killed.map((p) => p.comm).join(', ')}; completion records: ${tally}; ${out.match(/✗ [^\n]*/g)?.join(' | ') ?? 'no task failed'}`);
  }, 900_000);
});
