/**
 * Real SLURM figures on netns hosts, median of runs: bring-up of a 1 head + 2 compute cluster
 * split into provision (namespaces, sshd answering with its pinned key) and configure (munged,
 * slurmctld, slurmd, every node idle in sinfo); one pooled SSH command; per-job submission
 * overhead through the backend's own `run` (jobs due together go out in one SSH command, jobs
 * due apart in one each); teardown (SLURM stop, then netns down). Then the same bring-up and
 * teardown for 16 hosts. Needs root, slurm-wlm, munge and openssh-server; leaves nothing running.
 * Usage: npm run bench:slurm [-- --runs=5 --jobs=50 --subnet=10.86.0.0/24 --big=16]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cleanupNetnsLeftovers, netnsProvider } from '../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor } from '../src/hpc/backends/registry.js';
import { slurmScheduler, type SlurmRunResult } from '../src/hpc/backends/slurm/index.js';
import { SlurmSchedulerSchema } from '../src/hpc/backends/slurm/config-schema.js';
import type { BackendContext, Cluster, SchedulerHandle, Topology } from '../src/hpc/backends/types.js';
import { SshPool, sshTarget } from '../src/hpc/remote/ssh-pool.js';
import type { JobSpec } from '../src/hpc/workload/job.js';

/** `--name=value` or `--name value`. */
function arg(name: string, dflt: string): string {
  const argv = process.argv.slice(2);
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] ?? dflt : dflt;
}
const runs = Math.max(1, Number(arg('runs', '5')) || 5);
const jobCount = Math.max(1, Number(arg('jobs', '50')) || 50);
const bigHosts = Number(arg('big', '16'));
const subnet = arg('subnet', '10.86.0.0/24');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] ?? 0 : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const stateDir = mkdtempSync(join(tmpdir(), 'bench-slurm-'));
// Per-host SLURM and munge folders, from the scheduler descriptors, as cluster:provision passes them.
const providerConfig = { ...(parse(readFileSync('conf/provider/netns.yaml', 'utf8')) as Record<string, unknown>), subnet, state_dir: stateDir, host_state: hostStateFor('netns') };
const schedulerConfig = SlurmSchedulerSchema.parse(parse(readFileSync('conf/scheduler/slurm.yaml', 'utf8')));
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
process.once('SIGTERM', () => abort.abort());
const warned = new Set<string>();
const ctx: BackendContext = {
  signal: abort.signal, workDir: stateDir,
  // Each warning once: every run's slurmctld says the same about the same slurm.conf.
  log: { info: () => undefined, warn: (m: string) => { if (!warned.has(m)) console.log(`  warn: ${m}`); warned.add(m); }, debug: () => undefined },
};

/** 1 head + `hosts - 1` computes; 8 declared CPUs per compute so sleep jobs run many at a time. */
function topology(hosts: number): Topology {
  return { name: `bench-${hosts}`, head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: hosts - 1, vcpus: 8, memory_gib: 2, gpus: 0 } };
}

/** `sleep 1` jobs of one core, `gapS` real seconds apart (0: all due at once). */
function sleepJobs(gapS: number): JobSpec[] {
  return Array.from({ length: jobCount }, (_, i) => ({ id: i + 1, user: 'u0', submit: i * gapS, cores: 1, nodes: 1, gpus: 0, memoryMiB: 64, runtime: 1, walltime: 60 }));
}

/** Milliseconds per pooled `true` on the head, median of 20 after the connection is up. */
async function execLatencyMs(cluster: Cluster): Promise<number> {
  const pool = new SshPool();
  try {
    const head = cluster.hosts.find((h) => h.role === 'head') ?? cluster.hosts[0];
    if (!head) throw new Error('cluster has no hosts');
    const target = sshTarget(head, cluster);
    await pool.exec(target, ['true']);
    const xs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await pool.exec(target, ['true'], { signal: abort.signal });
      xs.push(performance.now() - t);
    }
    return median(xs);
  } finally {
    await pool.close();
  }
}

/** Submission time per job as the backend measures it (real time in sbatch calls / jobs). */
async function submitMsPerJob(handle: SchedulerHandle, gapS: number): Promise<number> {
  const r = (await slurmScheduler.run(handle, sleepJobs(gapS), { timeScale: 1, seed: 1, ctx })) as SlurmRunResult;
  const failed = r.jobs.filter((j) => j.state !== 'completed').length;
  if (failed) console.log(`  warn: ${failed} of ${r.jobs.length} jobs did not complete`);
  return Number(r.settings['submit_ms_per_job']);
}

type Row = Record<string, number>;

/** One cluster's life: up, SLURM up, optional measurements, SLURM stop, down. Seconds (ms where named). */
async function once(hosts: number, withJobs: boolean): Promise<Row> {
  const row: Row = {};
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const s = (now - t) / 1000;
    t = now;
    return s;
  };
  const cluster = await netnsProvider.up(topology(hosts), providerConfig, ctx);
  row['provision'] = lap();
  let handle: SchedulerHandle | undefined;
  try {
    handle = await slurmScheduler.configure(cluster, schedulerConfig, ctx);
    row['configure'] = lap();
    if (withJobs) {
      row['exec_ms'] = await execLatencyMs(cluster);
      row['burst_ms'] = await submitMsPerJob(handle, 0);
      row['spaced_ms'] = await submitMsPerJob(handle, 0.1);
    }
    lap();
  } finally {
    if (handle) await slurmScheduler.stop(handle, ctx);
    row['stop'] = lap();
    await netnsProvider.down(cluster, ctx);
    row['down'] = lap();
  }
  return row;
}

function fmt(xs: number[], digits: number): string {
  return `${median(xs).toFixed(digits).padStart(7)}   (runs: ${xs.map((x) => x.toFixed(digits)).join(' ')})`;
}

async function measure(hosts: number, withJobs: boolean): Promise<void> {
  const rows: Row[] = [];
  for (let r = 0; r < runs && !abort.signal.aborted; r++) rows.push(await once(hosts, withJobs));
  const col = (k: string): number[] => rows.map((x) => x[k] ?? NaN);
  const sum = (...ks: string[]): number[] => rows.map((x) => ks.reduce((a, k) => a + (x[k] ?? NaN), 0));
  console.log(`${hosts} hosts (1 head + ${hosts - 1} compute), median of ${rows.length} runs:`);
  console.log(`  provision (netns up, sshd ready)        s ${fmt(col('provision'), 2)}`);
  console.log(`  configure (SLURM up, all nodes idle)    s ${fmt(col('configure'), 2)}`);
  console.log(`  bring-up = provision + configure        s ${fmt(sum('provision', 'configure'), 2)}${hosts === 3 ? '   goal < 10 s' : ''}`);
  if (withJobs) {
    console.log(`  ssh exec, pooled connection (true)     ms ${fmt(col('exec_ms'), 1)}`);
    console.log(`  submit, ${jobCount} jobs due at once, per job   ms ${fmt(col('burst_ms'), 1)}   one SSH command of ${jobCount} sbatch`);
    console.log(`  submit, ${jobCount} jobs 0.1 s apart, per job   ms ${fmt(col('spaced_ms'), 1)}   one SSH command per sbatch`);
  }
  console.log(`  teardown = SLURM stop + netns down      s ${fmt(sum('stop', 'down'), 2)}   (stop ${median(col('stop')).toFixed(2)} s, down ${median(col('down')).toFixed(2)} s)`);
}

try {
  await measure(3, true);
  if (bigHosts > 3 && !abort.signal.aborted) await measure(bigHosts, false);
} finally {
  // Whatever a failure or an interrupt left: every cluster recorded under this run's state dir.
  await cleanupNetnsLeftovers({ state_dir: stateDir });
  rmSync(stateDir, { recursive: true, force: true });
}
