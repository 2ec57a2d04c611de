/**
 * Services and clients in podman containers on a real SLURM cluster of network namespaces,
 * through the CLI. redis + redis-benchmark at concurrency 1, 8, 32: service:image builds the image
 * once into the project's own podman store (cache/podman), the service job runs redis-server in a
 * container (podman ps lists it; the process is in the container's libpod cgroup, not the job's),
 * every client job runs in a container too (podman's event log of the store), the second
 * invocation runs nothing, and nothing is left: no container in the store, no conmon or podman
 * process, no process of a container. nginx + wrk: bench is killed with SIGKILL while a wrk
 * container runs; `bench gc` then leaves no container, process, SLURM job or bridge. A kept session
 * (`bench up`) keeps its container running for a later client run; `bench down` removes it. Needs root,
 * the netns SLURM cluster's tools, podman + runc and mmdebstrap (with Debian's mirror), redis-cli
 * and curl (the health checks run on the head host); under CI=true it runs or fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { tableToClientRows } from '../../src/hpc/services/client-table.js';
import { REPO } from './engine-project.js';
import { NETNS, SLURM, commands, files, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('services in containers test', [
  ...NETNS, ...SLURM, ...commands('podman', 'runc', 'conmon', 'mmdebstrap', 'redis-cli', 'curl'), ...files(join(REPO, 'dist/cli/main.js')),
]);

const BRIDGE = 'bsvc';
const args = (x: string, ...more: string[]): string[] => [
  'report:services', 'provider=netns', 'provider.subnet=10.71.0.0/24', `provider.bridge=${BRIDGE}`, 'scheduler=slurm', 'topology=tiny',
  'experiment=none', `service=${x}`, `client=${x}`, 'repetitions=1', ...more,
];

let dir = '';
const store = (): string => join(dir, 'cache', 'podman');

function bench(argv: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...argv], { cwd: dir, encoding: 'utf8', timeout: 900_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** podman on the test project's store. */
function podman(...argv: string[]): string {
  const r = spawnSync('podman', argv, { encoding: 'utf8', env: { ...process.env, CONTAINERS_CONF: join(store(), 'containers.conf'), CONTAINERS_STORAGE_CONF: join(store(), 'storage.conf') } });
  if (r.status !== 0) throw new Error(`podman ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const containers = (): string[] => podman('ps', '-a', '--format', '{{.Names}}').split('\n').filter(Boolean);

interface PodmanEvent { ID?: string; Name?: string; Status?: string; Type?: string }
/** The store's podman event log (events_logger = file). */
function events(): PodmanEvent[] {
  const file = join(store(), 'events.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as PodmanEvent) : [];
}

/** Processes of this store: conmon/podman (their command lines name it) and processes in a container cgroup of it. */
function storeProcesses(): string[] {
  const ids = new Set(events().filter((e) => e.Type === 'container' && e.ID).map((e) => e.ID as string));
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      const id = /libpod-([0-9a-f]{64})/.exec(cgroup)?.[1];
      if (cmd.includes(store()) || (id && ids.has(id))) out.push(`${pid} ${cmd}`);
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/** The PIDs of processes named `comm` and the libpod container id of their cgroup ('' if none). */
function processesNamed(comm: string): { pid: number; container: string }[] {
  const out: { pid: number; container: string }[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
      out.push({ pid: Number(pid), container: /libpod-([0-9a-f]{64})/.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))?.[1] ?? '' });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

interface Event { kind: string; taskId?: string }
function lastRunEvents(): Event[] {
  const logs = join(dir, 'cache', 'logs');
  const file = readdirSync(logs).filter((f) => f.endsWith('.ndjson')).sort().pop() ?? '';
  return readFileSync(join(logs, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
}

const bridgeGone = (): boolean => !spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout.includes(BRIDGE);

describe('services and clients in podman containers on netns SLURM', () => {
  beforeAll(() => {
    dir = copyProject('bench-containers-it-');
  });

  afterAll(async () => {
    if (dir) {
      bench(['gc']);
      await cleanupNetnsLeftovers({ state_dir: join(dir, 'cache', 'netns') });
      // Only after a failure is there anything to remove; the store goes with the project.
      if (existsSync(join(store(), 'storage.conf'))) spawnSync('sh', ['-c', 'podman rm -a -f -t 0 >/dev/null 2>&1'], { env: { ...process.env, CONTAINERS_CONF: join(store(), 'containers.conf'), CONTAINERS_STORAGE_CONF: join(store(), 'storage.conf') } });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('redis: the image is built once, server and clients run in containers at concurrency 1, 8, 32; the rerun runs nothing; nothing is left', async () => {
    const argv = args('redis', 'client.concurrency=1,8,32');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...argv], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    // While it runs: podman lists the service's container, and redis-server is that container's process.
    const name = await until('the service container', () => {
      if (child.exitCode !== null) throw new Error(`bench exited before the service ran:\n${out}`);
      return existsSync(join(store(), 'storage.conf')) ? containers().find((n) => n.startsWith('bench-svc-')) : undefined;
    }, 600_000, 250);
    const id = podman('inspect', '--format', '{{.Id}}', name).trim();
    const servers = await until('redis-server in the container', () => {
      const found = processesNamed('redis-server').filter((p) => p.container === id);
      return found.length ? found : undefined;
    }, 60_000, 200);
    // It runs in the container's own cgroup (podman's libpod-<id>), not in the SLURM job's.
    expect(readFileSync(`/proc/${servers[0]?.pid}/cgroup`, 'utf8')).toContain(`libpod-${id}`);

    expect(await exit, out).toBe(0);
    expect(out).toMatch(/image localhost\/bench-services:[0-9a-f]{16}: built and imported in/);
    const runsDir = join(dir, 'results', 'report-services', 'all', 'runs');
    const runs = readdirSync(runsDir).sort();
    expect(runs).toHaveLength(3);
    const clientJobs: number[] = [];
    for (const r of runs) {
      const run = JSON.parse(readFileSync(join(runsDir, r, 'run.json'), 'utf8')) as { runtime: string; image: string; client_job: number };
      expect(run.runtime).toBe('podman');
      expect(run.image).toMatch(/^localhost\/bench-services:[0-9a-f]{16}$/);
      clientJobs.push(run.client_job);
      expect(tableToClientRows(await readArrowFile(join(runsDir, r, 'client.arrow'))).length).toBeGreaterThan(0);
    }
    // Each client job ran in a container of its own, started and removed.
    const ev = events();
    for (const job of clientJobs) {
      for (const status of ['start', 'remove']) expect(ev.some((e) => e.Status === status && e.Name?.startsWith(`bench-client-${job}-`)), `${status} of client job ${job}`).toBe(true);
    }
    expect(ev.some((e) => e.Status === 'remove' && e.Name === name)).toBe(true);
    expect(podman('images', '--format', '{{.Repository}}:{{.Tag}}').trim().split('\n')).toHaveLength(1);

    const second = bench(argv);
    expect(second.status, second.output).toBe(0);
    expect(second.output).toMatch(/done: 0 ran/);
    expect(lastRunEvents().filter((e) => e.kind === 'resource-up')).toHaveLength(0);

    expect(containers()).toEqual([]);
    expect(storeProcesses()).toEqual([]);
    expect(bridgeGone()).toBe(true);
  }, 900_000);

  it('a kept session: bench up leaves the service container running, a client run uses it, bench down removes it', () => {
    const config = args('redis').filter((a) => a !== 'report:services' && !a.startsWith('client=') && a !== 'repetitions=1');
    const up = bench(['up', 'service:deploy', ...config]);
    expect(up.status, up.output).toBe(0);
    expect(containers().filter((n) => n.startsWith('bench-svc-'))).toHaveLength(1);
    const st = bench(['status', ...config]);
    expect(st.output).toMatch(/service: redis \(redis, podman\)\s+image: localhost\/bench-services:[0-9a-f]{16}\s+slurm_job: \d+\s+state: RUNNING/);
    const client = bench(['client:run', ...config, 'client=redis', 'client.concurrency=4', 'client.requests=2000', 'repetitions=1']);
    expect(client.status, client.output).toBe(0);
    expect(client.output).toMatch(/using the kept session of service:deploy/);
    const down = bench(['down']);
    expect(down.status, down.output).toBe(0);
    expect(containers()).toEqual([]);
    expect(storeProcesses()).toEqual([]);
    expect(bridgeGone()).toBe(true);
  }, 600_000);

  it('nginx: after a kill -9 while a wrk container runs, bench gc leaves no container, process, job or bridge', async () => {
    const argv = args('nginx', 'client.concurrency=4', 'client.duration_s=300', 'client.timeout_s=400');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...argv], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    await until('the wrk container running', () => {
      if (child.exitCode !== null) throw new Error(`bench exited early:\n${out}`);
      return containers().find((n) => n.startsWith('bench-client-')) && processesNamed('wrk').find((p) => p.container !== '');
    }, 600_000, 250);
    expect(processesNamed('nginx').some((p) => p.container !== '')).toBe(true);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // Nothing stops them on its own: bench is gone, the jobs and containers run on.
    expect(containers().length).toBe(2);

    const gc = bench(['gc']);
    expect(gc.status, gc.output).toBe(0);
    expect(gc.output).toMatch(/service:deploy/);
    expect(containers()).toEqual([]);
    await until('no process of the store', () => (storeProcesses().length ? undefined : true), 30_000, 200);
    expect(bridgeGone()).toBe(true);
  }, 900_000);
});
