/**
 * A kill -9 of `bench workload:run` while pods run on real Kubernetes + Volcano (netns provider),
 * then the same command again: after the kill the control plane (etcd, kube-apiserver, Volcano,
 * KWOK) and the namespaces are still there and in the ledger; the rerun tears them down first,
 * runs the workload to completion on a fresh cluster (jobs.arrow and scheduler.arrow), and leaves
 * no namespace, process or etcd data. Runs the CLI (dist/) on a copy of this project; under
 * CI=true it runs or fails, never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeApi } from '../../src/hpc/backends/kubernetes/kube-api.js';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import type { NetnsState } from '../../src/hpc/backends/netns/netns-state.js';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { REPO } from './engine-project.js';
import { KUBERNETES } from '../support/kubernetes.js';
import { files, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('Kubernetes crash test', [...KUBERNETES, ...files(join(REPO, 'dist/cli/main.js'))]);

const JOBS = 4;
/** Four jobs of about 3 s real each (time_scale 0.01), arriving about 1 s apart. */
const ARGS = [
  'workload:run', 'provider=netns', 'provider.subnet=10.83.0.0/24', 'scheduler=kubernetes', 'topology=tiny', 'workload=short', 'experiment=none',
  'repetitions=1', `workload.jobs=${JOBS}`, 'workload.arrival.mean_interarrival_s=100', 'workload.runtime_s.median=300', 'workload.runtime_s.max=600',
];
const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller', 'vc-controller-m', 'vc-scheduler', 'kwok'];

let dir = '';
const stateDir = (): string => join(dir, 'cache', 'netns');
const children: ChildProcess[] = [];

function startBench(): { child: ChildProcess; output: () => string; exit: Promise<number | string> } {
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

function namespaceLinks(s: NetnsState): string[] {
  return s.hosts.flatMap((h) => {
    try { return [`net:[${statSync(`/run/netns/${h.netns}`).ino}]`]; } catch { return []; }
  });
}

/** Live processes in one of `links`, by comm. */
function processesIn(links: Set<string>): string[] {
  const out: string[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') || !links.has(readlinkSync(`/proc/${p}/ns/net`))) continue;
      out.push(readFileSync(`/proc/${p}/comm`, 'utf8').trim());
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/** Whether a pod of the cluster runs, asked of its API server with the admin certificate bring-up made. */
async function podRunning(s: NetnsState): Promise<boolean> {
  const head = s.hosts.find((h) => h.role === 'head');
  const pki = head ? join(head.dir, 'k8s', 'pki') : '';
  // The kubeconfig is written after every certificate: until then the PKI may be half made.
  if (!head || !existsSync(join(head.dir, 'k8s', 'kwok.kubeconfig'))) return false;
  const read = (f: string) => readFileSync(join(pki, f), 'utf8');
  const api = new KubeApi({ server: `https://${head.address}:6443`, ca: read('ca.crt'), cert: read('admin.crt'), key: read('admin.key') }, 3000);
  try {
    return (await api.list<{ status?: { phase?: string } }>('/api/v1/namespaces/default/pods')).some((p) => p.status?.phase === 'Running');
  } catch {
    return false;
  } finally {
    api.close();
  }
}

function ledger(): string[] {
  const db = new Database(join(dir, 'cache', 'bench.db'), { readonly: true });
  try {
    return (db.prepare('SELECT task_id FROM ledger ORDER BY task_id').all() as { task_id: string }[]).map((r) => r.task_id);
  } finally {
    db.close();
  }
}


describe('kill -9 during a workload run on real Kubernetes + Volcano, then a rerun', () => {
  beforeAll(() => {
    dir = copyProject('bench-k8s-crash-');
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dir) {
      await cleanupNetnsLeftovers({ state_dir: stateDir() });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('leaves the control plane behind at the kill; the rerun cleans it, completes every job and leaves nothing', async () => {
    const seen = new Map<string, Set<string>>();
    const watch = (): void => {
      for (const s of clusters()) {
        const links = seen.get(s.id) ?? new Set<string>();
        for (const l of namespaceLinks(s)) links.add(l);
        seen.set(s.id, links);
      }
    };
    const first = startBench();
    const crashed = await until('a pod Running on the first run\'s cluster', async () => {
      if (first.child.exitCode !== null) throw new Error(`bench exited before any pod ran:\n${first.output()}`);
      watch();
      for (const s of clusters()) if (await podRunning(s)) return s;
      return undefined;
    }, 300_000, 200);
    watch();
    first.child.kill('SIGKILL');
    expect(await first.exit).toBe('SIGKILL');

    const crashedLinks = new Set(seen.get(crashed.id));
    const left = processesIn(crashedLinks);
    for (const c of COMPONENTS) expect(left, `${c} left after the kill`).toContain(c);
    expect(ledger().map((t) => t.replace(/\[.*$/, ''))).toEqual(['cluster:provision', 'scheduler:configure']);
    const head = crashed.hosts.find((h) => h.role === 'head');
    expect(existsSync(join(head?.dir ?? '', 'k8s', 'etcd'))).toBe(true);

    const rerun = startBench();
    const code = await until('the rerun to exit', async () => {
      watch();
      return rerun.child.exitCode ?? rerun.child.signalCode ?? undefined;
    }, 400_000, 200);
    expect(code, rerun.output()).toBe(0);
    expect(processesIn(crashedLinks)).toEqual([]);
    expect(existsSync(join(head?.dir ?? '', 'k8s'))).toBe(false);
    expect(ledger()).toEqual([]);

    expect([...seen.keys()].filter((id) => id !== crashed.id)).toHaveLength(1);
    const runDir = join(dir, 'results', 'workload-run');
    const [label] = readdirSync(runDir);
    const jobs = await readArrowFile(join(runDir, label as string, 'jobs.arrow'));
    expect(jobs.numRows).toBe(JOBS);
    expect([...(jobs.getChild('state') ?? [])]).toEqual(Array(JOBS).fill('completed'));
    const sched = await readArrowFile(join(runDir, label as string, 'scheduler.arrow'));
    expect(sched.numRows).toBeGreaterThan(0);
    expect(sched.schema.fields.map((f) => f.name)).toContain('apiserver_latency_ms');

    const all = new Set([...seen.values()].flatMap((s) => [...s]));
    expect(processesIn(all)).toEqual([]);
    const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    for (const id of seen.keys()) expect(netns).not.toContain(`bench-${id}-`);
    expect(clusters()).toEqual([]);
  }, 900_000);
});
