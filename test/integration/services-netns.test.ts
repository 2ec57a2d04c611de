/**
 * Services and their benchmark clients as SLURM jobs on a real SLURM cluster of network
 * namespaces, end to end through the CLI: for each recipe (redis + redis-benchmark, nginx + wrk)
 * `report:services ... client.concurrency=1,8,32` submits the service job once, runs three client
 * jobs against it, writes client.arrow and metrics per run and the report section; the second
 * invocation runs nothing; afterwards no SLURM job, service process, job file or link is left.
 * The services run directly on the node (no container). Load goes only to the service's address
 * inside the test cluster's namespaces, bounded by request count (redis-benchmark) or duration
 * (wrk) and by the recipe's timeout. Needs root, iproute2, util-linux, openssh-server, munge,
 * slurm-wlm, redis-server, redis-tools, nginx-light, wrk and curl; under CI=true it runs or fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { tableToClientRows } from '../../src/hpc/services/client-table.js';
import { REPO } from './engine-project.js';
import { NETNS, SLURM, commands, files, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('services netns test', [
  ...NETNS, ...SLURM, ...commands('redis-server', 'redis-cli', 'redis-benchmark', 'nginx', 'wrk', 'curl'), ...files(join(REPO, 'dist/cli/main.js')),
]);

const BRIDGE = 'bsvt';
const args = (x: string): string[] => [
  'report:services', 'provider=netns', 'provider.subnet=10.98.0.0/24', `provider.bridge=${BRIDGE}`, 'scheduler=slurm', 'topology=tiny',
  'experiment=none', `service=${x}`, `client=${x}`, 'client.concurrency=1,8,32', 'repetitions=1',
  // On the node itself: services-containers.test.ts runs the same recipes in podman containers.
  'service.runtime=host', 'client.runtime=host',
];

let dir = '';

function bench(argv: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...argv], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

interface Event { kind: string; taskId?: string; outcome?: { kind?: string } }
/** Events of the newest run's NDJSON log. */
function lastRunEvents(): Event[] {
  const logs = join(dir, 'cache', 'logs');
  // Log names start with the run's start time.
  const file = readdirSync(logs).filter((f) => f.endsWith('.ndjson')).sort().pop() ?? '';
  return readFileSync(join(logs, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
}

/**
 * The tokens in this project's job file names, from its run logs (each job's submission names its
 * output file): other cluster tests beside this one number their jobs from 1 too and share /tmp.
 */
function ourTokens(): Set<string> {
  const logs = join(dir, 'cache', 'logs');
  const text = existsSync(logs) ? readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8')).join('\n') : '';
  return new Set([...text.matchAll(/\/tmp\/bench-(?:svc|client)-([a-z0-9]+)-\d+\.out/g)].map((m) => m[1] as string));
}

/** This project's job files or scratch dirs in /tmp (`bench-<role>-<token>-<job id>`). */
function ours(name: string, tokens: Set<string>): boolean {
  const m = /^bench-(?:svc|client)-([a-z0-9]+)-\d+\.(?:out|d)$/.exec(name);
  return m !== null && tokens.has(m[1] as string);
}

/** Processes whose working directory is one of this project's job scratch dirs. */
function jobProcesses(): string[] {
  const tokens = ourTokens();
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd.startsWith('/tmp/') && ours(cwd.slice(5).split('/')[0] ?? '', tokens)) out.push(`${pid} ${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}`);
    } catch { /* gone meanwhile */ }
  }
  return out;
}

const jobFilesLeft = () => {
  const tokens = ourTokens();
  expect(tokens.size).toBeGreaterThan(0);
  return readdirSync('/tmp').filter((f) => ours(f, tokens));
};

describe('services and clients as SLURM jobs on netns', () => {
  beforeAll(() => {
    dir = copyProject('bench-services-it-');
  });

  afterAll(async () => {
    if (dir) {
      await cleanupNetnsLeftovers({ state_dir: join(dir, 'cache', 'netns') });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a service that dies at start fails with its own output, and leaves no job, process, file or link', () => {
    const r = bench([...args('redis'), 'service.args=[--bogus-directive,"1"]']);
    expect(r.status, r.output).toBe(1);
    expect(r.output).toMatch(/service redis: SLURM job \d+ (stopped \(FAILED\) before its health check passed|did not start \(FAILED)/);
    expect(r.output).toMatch(/--- output of SLURM job \d+ .*---\n[\s\S]*Bad directive or wrong number of arguments/);
    expect(jobProcesses()).toEqual([]);
    expect(jobFilesLeft()).toEqual([]);
    expect(spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout).not.toContain(BRIDGE);
  }, 600_000);

  it('after a kill -9 while a client job runs, the rerun tears down the dead run\'s service and cluster (the orphaned client job with them) and finishes', async () => {
    // 3 million GETs keep the client busy long enough to kill bench under it.
    const long = [...args('redis').filter((a) => !a.startsWith('client.concurrency')), 'client.requests=3000000', 'client.tests=[get]'];
    const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...long], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    await until('the client job running', () => {
      if (child.exitCode !== null) throw new Error(`bench exited early:\n${out}`);
      return jobProcesses().find((p) => p.endsWith(' redis-benchmark'));
    }, 240_000, 200);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(jobProcesses().some((p) => p.endsWith(' redis-benchmark'))).toBe(true);

    const rerun = bench([...args('redis').filter((a) => !a.startsWith('client.concurrency')), 'client.requests=2000', 'client.tests=[get]']);
    expect(rerun.status, rerun.output).toBe(0);
    const downs = lastRunEvents().filter((e) => e.kind === 'resource-down' && e.taskId?.startsWith('service:deploy'));
    expect(downs).toHaveLength(2);
    expect(jobProcesses()).toEqual([]);
    expect(spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout).not.toContain(BRIDGE);
  }, 600_000);

  it('a client whose service dies under it reports that the service died, with its own output', async () => {
    const long = [...args('redis').filter((a) => !a.startsWith('client.concurrency')), 'client.requests=3000000', 'client.tests=[get]', 'client.timeout_s=30'];
    const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...long], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until('the client job running', () => {
      if (child.exitCode !== null) throw new Error(`bench exited early:\n${out}`);
      return jobProcesses().find((p) => p.endsWith(' redis-benchmark'));
    }, 240_000, 200);
    // The service's own process, found by its job's scratch dir, stopped by its PID.
    const server = jobProcesses().find((p) => p.endsWith(' redis-server'));
    expect(server).toBeDefined();
    process.kill(Number(server?.split(' ')[0]), 'SIGKILL');
    expect(await exit, out).toBe(1);
    expect(out).toMatch(/service redis \(SLURM job \d+\) is (FAILED|COMPLETED|gone)[^\n]*: the service died; client redis-benchmark: SLURM job \d+ ended/);
    expect(jobProcesses()).toEqual([]);
    expect(jobFilesLeft()).toEqual([]);
  }, 600_000);

  for (const [service, client] of [['redis', 'redis-benchmark'], ['nginx', 'wrk']] as const) {
    it(`${service}: one service job, three ${client} jobs at concurrency 1, 8, 32, a report section; the rerun runs nothing; nothing left`, async () => {
      const first = bench(args(service));
      expect(first.status, first.output).toBe(0);
      const events = lastRunEvents();
      const ups = events.filter((e) => e.kind === 'resource-up' && e.taskId?.startsWith('service:deploy'));
      expect(ups).toHaveLength(1);
      const runsDir = join(dir, 'results', 'report-services', 'all', 'runs');
      const runs = readdirSync(runsDir).sort();
      expect(runs).toHaveLength(3);
      const serviceJobs = new Set<number>();
      const clientJobs = new Set<number>();
      const concurrencies: number[] = [];
      for (const r of runs) {
        const run = JSON.parse(readFileSync(join(runsDir, r, 'run.json'), 'utf8')) as { service_job: number; client_job: number; concurrency: number; client: string };
        expect(run.client).toBe(client);
        serviceJobs.add(run.service_job);
        clientJobs.add(run.client_job);
        concurrencies.push(run.concurrency);
        const rows = tableToClientRows(await readArrowFile(join(runsDir, r, 'client.arrow')));
        expect(rows.length).toBeGreaterThan(0);
        const m = JSON.parse(readFileSync(join(runsDir, r, 'metrics.json'), 'utf8')) as Record<string, number>;
        expect(m['requests']).toBe(rows.reduce((s, x) => s + x.requests, 0));
        expect(m['throughput_rps']).toBeGreaterThan(0);
        expect(m['latency_p99_ms']).toBeGreaterThanOrEqual(m['latency_p50_ms'] ?? Infinity);
        expect(m['error_rate']).toBeLessThan(0.01);
      }
      expect(serviceJobs.size).toBe(1);
      expect(clientJobs.size).toBe(3);
      expect(concurrencies.sort((a, b) => a - b)).toEqual([1, 8, 32]);
      const html = readFileSync(join(dir, 'results', 'services.html'), 'utf8');
      expect(html).toContain(`<h2>${service} <small>(client ${client})</small></h2>`);
      for (const c of [1, 8, 32]) expect(html).toContain(`>c=${c}</text>`);
      expect(readFileSync(join(dir, 'results', 'services.txt'), 'utf8')).toMatch(/concurrency +32: +\d+ req\/s/);

      const second = bench(args(service));
      expect(second.status, second.output).toBe(0);
      expect(second.output).toMatch(/done: 0 ran/);
      expect(lastRunEvents().filter((e) => e.kind === 'resource-up')).toHaveLength(0);

      expect(jobProcesses()).toEqual([]);
      expect(jobFilesLeft()).toEqual([]);
      expect(spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout).not.toContain(BRIDGE);
    }, 600_000);
  }
});
