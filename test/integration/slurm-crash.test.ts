/**
 * A kill -9 of `bench workload:run` while jobs run on real SLURM (netns provider), then the same
 * command again: the dead run's namespaces and daemons are still there after the kill and are
 * recorded in the ledger; the rerun tears them down (scheduler first, then cluster), runs the
 * workload to completion on a fresh cluster and tears that down too, leaving no namespace and no
 * sshd, munged, slurmctld or slurmd of the test. Runs the CLI (dist/) on a copy of this project.
 * Needs root, iproute2, util-linux, openssh-server, munge and slurm-wlm; under CI=true it runs or
 * fails, never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import type { NetnsState } from '../../src/hpc/backends/netns/netns-state.js';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { REPO } from './engine-project.js';
import { NETNS, SLURM, files, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('SLURM crash test', [...NETNS, ...SLURM, ...files(join(REPO, 'dist/cli/main.js'))]);

const JOBS = 4;
/** Four jobs of about 3 s real each (time_scale 0.01), arriving about 1 s apart. */
const ARGS = [
  'workload:run', 'provider=netns', 'provider.subnet=10.85.0.0/24', 'scheduler=slurm', 'topology=tiny', 'workload=short', 'experiment=none',
  'repetitions=1', `workload.jobs=${JOBS}`, 'workload.arrival.mean_interarrival_s=100', 'workload.runtime_s.median=300', 'workload.runtime_s.max=600',
];
const DAEMONS = ['sshd', 'munged', 'slurmctld', 'slurmd', 'slurmstepd'];

let dir = '';
const stateDir = (): string => join(dir, 'cache', 'netns');
const children: ChildProcess[] = [];

interface Run { child: ChildProcess; output: () => string; exit: Promise<number | string> }

function startBench(): Run {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...ARGS], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => { text += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { text += d.toString(); });
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return { child, output: () => text, exit };
}

function clusters(): NetnsState[] {
  if (!existsSync(stateDir())) return [];
  return readdirSync(stateDir()).filter((f) => f.endsWith('.json')).flatMap((f) => {
    try { return [JSON.parse(readFileSync(join(stateDir(), f), 'utf8')) as NetnsState]; } catch { return []; }
  });
}

/** `net:[inode]` of each namespace of the cluster that exists now. */
function namespaceLinks(s: NetnsState): string[] {
  return s.hosts.flatMap((h) => {
    try { return [`net:[${statSync(`/run/netns/${h.netns}`).ino}]`]; } catch { return []; }
  });
}

/** SLURM job states on the cluster's head, read inside its namespaces (its slurm.conf, munge socket, /etc/hosts). */
function squeueStates(s: NetnsState): string[] {
  const pid = s.hosts.find((h) => h.role === 'head')?.pid;
  if (!pid) return [];
  const r = spawnSync('nsenter', ['-t', String(pid), '-n', '-m', '-u', '--', 'squeue', '-h', '-o', '%T'], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

interface Proc { pid: number; comm: string; cmdline: string }

/**
 * Live (not zombie) processes of the test: inside one of `links` (the namespaces seen), or with
 * the project dir (where the sshd configs live) on their command line.
 */
function testProcesses(links: Set<string>): Proc[] {
  const out: Proc[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!links.has(readlinkSync(`/proc/${p}/ns/net`)) && !cmdline.includes(`${dir}/`)) continue;
      out.push({ pid: Number(p), comm: readFileSync(`/proc/${p}/comm`, 'utf8').trim(), cmdline });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

function namespacesListed(ids: Iterable<string>): string[] {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  return [...ids].flatMap((id) => list.split('\n').filter((l) => l.startsWith(`bench-${id}-`)));
}

function ledger(): string[] {
  const db = new Database(join(dir, 'cache', 'bench.db'), { readonly: true });
  try {
    return (db.prepare('SELECT task_id FROM ledger ORDER BY task_id').all() as { task_id: string }[]).map((r) => r.task_id);
  } finally {
    db.close();
  }
}

function eventsOf(logFile: string): { kind: string; taskId?: string; error?: string }[] {
  return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; taskId?: string; error?: string });
}

describe('kill -9 during a workload run on real SLURM, then a rerun', () => {
  beforeAll(() => {
    dir = copyProject('bench-slurm-crash-');
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dir) {
      await cleanupNetnsLeftovers({ state_dir: stateDir() });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('leaves the cluster behind at the kill; the rerun cleans it, completes every job and leaves nothing running', async () => {
    // Links of every namespace either run created, seen while it existed.
    const seen = new Map<string, Set<string>>();
    const watch = (): void => {
      for (const s of clusters()) {
        const links = seen.get(s.id) ?? new Set<string>();
        for (const l of namespaceLinks(s)) links.add(l);
        seen.set(s.id, links);
      }
    };

    const first = startBench();
    const crashed = await until('a SLURM job RUNNING on the cluster of the first run', () => {
      if (first.child.exitCode !== null) throw new Error(`bench exited before any job ran:\n${first.output()}`);
      watch();
      return clusters().find((s) => squeueStates(s).includes('RUNNING'));
    }, 120_000, 200);
    watch();
    first.child.kill('SIGKILL');
    expect(await first.exit).toBe('SIGKILL');

    // Left behind: the namespaces, every daemon in them, and the ledger rows naming them.
    const crashedLinks = new Set(seen.get(crashed.id));
    expect(namespacesListed([crashed.id]).length).toBe(crashed.hosts.length);
    const left = testProcesses(crashedLinks).map((p) => p.comm);
    for (const d of ['sshd', 'munged', 'slurmctld', 'slurmd']) expect(left, `${d} left after the kill`).toContain(d);
    expect(ledger()).toEqual(['cluster:provision[tiny]', 'scheduler:configure[tiny-slurm]']);

    const logsBefore = new Set(readdirSync(join(dir, 'cache', 'logs')));
    const rerun = startBench();
    const code = await until('the rerun to exit', () => {
      watch();
      return rerun.child.exitCode ?? rerun.child.signalCode ?? undefined;
    }, 180_000);
    expect(code, rerun.output()).toBe(0);

    // The dead run's resources were torn down from the ledger before the run, scheduler first.
    const log = readdirSync(join(dir, 'cache', 'logs')).find((f) => !logsBefore.has(f)) as string;
    const events = eventsOf(join(dir, 'cache', 'logs', log));
    const beforeRun = events.slice(0, events.findIndex((e) => e.kind === 'run-started'));
    expect(beforeRun.filter((e) => e.kind === 'resource-down').map((e) => [e.taskId, e.error])).toEqual([
      ['scheduler:configure[tiny-slurm]', undefined], ['cluster:provision[tiny]', undefined],
    ]);
    expect(namespacesListed([crashed.id])).toEqual([]);
    expect(testProcesses(crashedLinks).filter((p) => DAEMONS.includes(p.comm))).toEqual([]);
    expect(ledger()).toEqual([]);

    // The rerun ran every job to completion on a cluster of its own.
    expect([...seen.keys()].filter((id) => id !== crashed.id)).toHaveLength(1);
    const runDir = join(dir, 'results', 'workload-run');
    const [label] = readdirSync(runDir);
    const jobs = await readArrowFile(join(runDir, label as string, 'jobs.arrow'));
    expect(jobs.numRows).toBe(JOBS);
    expect([...(jobs.getChild('state') ?? [])]).toEqual(Array(JOBS).fill('completed'));

    // Nothing of either cluster is left: no namespace, veth, bridge, state, or process.
    const allLinks = new Set([...seen.values()].flatMap((s) => [...s]));
    await until('no process of the test left', () => (testProcesses(allLinks).length === 0 ? true : undefined), 15_000).catch(() => undefined);
    expect(testProcesses(allLinks)).toEqual([]);
    expect(namespacesListed(seen.keys())).toEqual([]);
    const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout;
    for (const id of seen.keys()) {
      expect(links).not.toContain(`bnv${id}`);
      expect(links).not.toContain(`-${id}:`);
    }
    expect(clusters()).toEqual([]);
    // The rerun's own resources went down within the run, not left for the next one.
    expect(ledger()).toEqual([]);
  }, 360_000);
});
