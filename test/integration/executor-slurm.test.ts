/**
 * `executor=slurm executor.provider=netns`: the simulator workload runs and their metrics go to
 * a real SLURM cluster of network namespaces (1 head + 3 compute hosts) as job arrays, through
 * `bench exec-task` on the hosts; this process collects, checks and commits them. The metrics
 * rows are the same as a local run's, a second run does nothing, a task that fails remotely
 * shows its remote stderr, and no namespace, daemon or bridge is left. Needs root, iproute2,
 * util-linux, openssh-server, munge and slurm-wlm; under CI=true it runs or fails, never skips.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import { NETNS, SLURM, gate } from '../support/requirements.js';
import { eventually, until } from '../support/wait.js';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('SLURM executor test', [...NETNS, ...SLURM]);

const SWEEP = ['report:pareto', 'experiment=none', 'scheduler=flux,slurm,kubernetes', 'repetitions=2'];
const SLURM_EXEC = ['executor=slurm', 'executor.provider=netns', 'executor.hosts=3', 'executor.subnet=10.94.0.0/24', 'executor.bridge=bxit0'];

function project(prefix: string, lib = REPO): string {
  return copyProject(prefix, { lib });
}

/**
 * A copy of the library as it is now, for a test long enough that a build in the working tree
 * meanwhile would change the code its tasks' fingerprints record (and make a second run rerun).
 */
function snapshotLibrary(): string {
  const lib = mkdtempSync(join(tmpdir(), 'bench-exec-lib-'));
  for (const p of ['package.json', 'package-lock.json', 'bin', 'dist', 'src']) cpSync(join(REPO, p), join(lib, p), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(lib, 'node_modules'));
  return lib;
}

/** `bench` of the project's own library (node_modules/bench). */
function bench(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'node_modules', 'bench', 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 900_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every row of a table as plain values, in order. */
async function rows(file: string): Promise<string[]> {
  const t = await readArrowFile(file);
  return t.toArray().map((r: unknown) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
}

/** Processes whose command line names `dir` (the cluster's sshd, slurm and munge configs live under it). */
function processesNaming(dir: string): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = /State:\s+(\w)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      return cmd.includes(dir) && state !== 'Z' ? [`${p} ${cmd}`] : [];
    } catch {
      return [];
    }
  });
}

/** Tasks SLURM ran, from the batch directories the executor wrote: one line per task in `dirs`, SLURM's output beside. */
function submitted(dir: string): { tasks: number; arrays: number[] } {
  const batches = join(dir, 'cache', 'executor', 'batches');
  const ran = existsSync(batches) ? readdirSync(batches).filter((b) => readdirSync(join(batches, b)).some((f) => f.startsWith('slurm-'))) : [];
  const sizes = ran.map((b) => readFileSync(join(batches, b, 'dirs'), 'utf8').split('\n').filter(Boolean).length);
  return { tasks: sizes.reduce((a, b) => a + b, 0), arrays: sizes };
}

let local = '';
let remote = '';

beforeAll(() => {
  local = project('bench-exec-local-');
  remote = project('bench-exec-slurm-');
});

afterAll(async () => {
  await cleanupNetnsLeftovers({ state_dir: join(remote, 'cache', 'netns') }).catch(() => 0);
  for (const d of [local, remote]) if (d) rmSync(d, { recursive: true, force: true });
}, 120_000);

describe('a sweep\'s tasks as SLURM jobs on a netns cluster', () => {
  it('gives the same metrics rows as a local run, through job arrays, and leaves nothing behind', async () => {
    const l = bench(local, ...SWEEP);
    expect(l.code, l.err).toBe(0);
    const started = Date.now();
    const r = bench(remote, ...SWEEP, ...SLURM_EXEC);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toMatch(/done: \d+ ran, 0 up to date, 0 failed/);
    // 6 workload runs and 6 metrics went through SLURM, several tasks per array.
    const s = submitted(remote);
    expect(s.tasks).toBe(12);
    expect(Math.max(...s.arrays)).toBeGreaterThan(1);
    expect(await rows(join(remote, 'results', 'metrics.arrow'))).toEqual(await rows(join(local, 'results', 'metrics.arrow')));
    expect(await rows(join(remote, 'results', 'metrics.arrow'))).toHaveLength(3);
    expect(readFileSync(join(remote, 'results', 'metrics.arrow')).equals(readFileSync(join(local, 'results', 'metrics.arrow')))).toBe(true);
    expect(await eventually(() => processesNaming(remote).length === 0)).toBe(true);
    expect(spawnSync('ip', ['link', 'show', 'bxit0']).status).not.toBe(0);
    expect(readdirSync(join(remote, 'cache', 'netns')).filter((f) => f.endsWith('.json'))).toEqual([]);
    console.log(`executor=slurm: ${seconds.toFixed(1)} s for 12 remote tasks in ${s.arrays.length} arrays (${s.arrays.join(', ')}), cluster bring-up and staging included`);
  }, 900_000);

  it('runs nothing the second time', () => {
    const r = bench(remote, ...SWEEP, ...SLURM_EXEC);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/done: 0 ran, \d+ up to date, 0 failed/);
    expect(submitted(remote).tasks).toBe(12);
  }, 300_000);

  it('shows the remote stderr of a task that fails on the cluster', () => {
    // A metrics edit that throws only where the job runs (never here): the message comes back.
    const file = join(remote, 'tasks', 'metrics.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('async run(ctx) {', 'async run(ctx) {\n    if (process.env.SLURM_JOB_ID) { process.stderr.write(`boom on ${process.env.SLURMD_NODENAME}\\n`); throw new Error(\'metrics exploded remotely\'); }'));
    const r = bench(remote, 'report:pareto', 'experiment=none', 'scheduler=flux', 'repetitions=1', ...SLURM_EXEC);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ metrics\[[^\]]+\] exit-non-zero: metrics exploded remotely \(SLURM job \d+_0 on \S+, exit 1; remote stderr:/);
    expect(r.out).toMatch(/boom on \S+/);
    expect(processesNaming(remote)).toEqual([]);
  }, 600_000);

  it('runs a sweep of 210 simulator points entirely through SLURM, with the local rows, and nothing the second time', async () => {
    // 3 schedulers x 70 repetitions: 210 workload runs and 210 metrics, all remote.
    const big = ['report:pareto', 'experiment=none', 'scheduler=flux,slurm,kubernetes', 'repetitions=70'];
    const lib = snapshotLibrary();
    const dirs = [project('bench-exec-big-local-', lib), project('bench-exec-big-slurm-', lib)] as const;
    try {
      const l = bench(dirs[0], ...big);
      expect(l.code, l.err).toBe(0);
      const started = Date.now();
      const r = bench(dirs[1], ...big, ...SLURM_EXEC);
      const seconds = (Date.now() - started) / 1000;
      expect(r.code, `${r.out}\n${r.err}`).toBe(0);
      expect(r.out).toMatch(/done: \d+ ran, 0 up to date, 0 failed/);
      expect(submitted(dirs[1]).tasks).toBe(420);
      expect(await rows(join(dirs[1], 'results', 'metrics.arrow'))).toEqual(await rows(join(dirs[0], 'results', 'metrics.arrow')));
      expect(readFileSync(join(dirs[1], 'results', 'metrics.arrow')).equals(readFileSync(join(dirs[0], 'results', 'metrics.arrow')))).toBe(true);
      const again = bench(dirs[1], ...big, ...SLURM_EXEC);
      expect(again.code, again.err).toBe(0);
      expect(again.out).toMatch(/done: 0 ran, \d+ up to date, 0 failed/);
      expect(submitted(dirs[1]).tasks).toBe(420);
      console.log(`executor=slurm: 210 points, 420 remote tasks in ${seconds.toFixed(1)} s; ${/\d+ tasks in \d+ job arrays[^\n]*/.exec(r.out)?.[0] ?? ''}`);
    } finally {
      await cleanupNetnsLeftovers({ state_dir: join(dirs[1], 'cache', 'netns') }).catch(() => 0);
      for (const d of [...dirs, lib]) rmSync(d, { recursive: true, force: true });
    }
  }, 1_800_000);

  it('adopts the jobs of a coordinator killed with -9 instead of submitting them again', async () => {
    const dir = project('bench-exec-kill-');
    try {
      const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...SWEEP, ...SLURM_EXEC], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Killed once SLURM holds tasks (their job directories name a SLURM id) and before they all end.
      const jobs = join(dir, 'cache', 'executor', 'jobs');
      await until('a task submitted to SLURM', () => (existsSync(jobs) && readdirSync(jobs).some((j) => existsSync(join(jobs, j, 'slurm-id'))) ? true : undefined), 600_000, 50);
      child.kill('SIGKILL');
      await exited;
      const r = bench(dir, ...SWEEP, ...SLURM_EXEC);
      expect(r.code, `${r.out}\n${r.err}`).toBe(0);
      expect(r.out).toMatch(/adopted the SLURM cluster \w+ of a killed run/);
      expect(r.out).toMatch(/adopted SLURM job \d+_\d+ of a killed run/);
      // Nothing went to SLURM twice: 6 runs and 6 metrics in all, over both coordinators.
      expect(submitted(dir).tasks).toBe(12);
      expect(readFileSync(join(dir, 'results', 'metrics.arrow')).equals(readFileSync(join(local, 'results', 'metrics.arrow')))).toBe(true);
      expect(await eventually(() => processesNaming(dir).length === 0)).toBe(true);
    } finally {
      await cleanupNetnsLeftovers({ state_dir: join(dir, 'cache', 'netns') }).catch(() => 0);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 1_200_000);
});
