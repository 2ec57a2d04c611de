/**
 * The inference recipe end to end on a real SLURM cluster of network namespaces, through the CLI:
 * `report:services ... service=inference client=inference client.concurrency=1,8,32` submits the
 * embedding server's job once, runs three load-generator jobs against it, writes one client.arrow
 * row per request, metrics and the report section; the second invocation runs nothing; nothing is
 * left. The recipes' default runtime, podman: service:image and client:image build the kinds'
 * images once into the project's store (both tests share the project, so the second reuses them),
 * and the store's event log shows the service job's and every client job's container started and
 * removed. The host runtime (the .ci/run venv) is covered by services-gc. Request counts are small
 * (the model runs on CPU). Needs root, iproute2, util-linux, openssh-server, munge, slurm-wlm,
 * curl, podman + runc + conmon and mmdebstrap (with Debian's mirror and PyPI); under CI=true it
 * runs or fails. Its own subnet, so it can run beside the other cluster tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readArrowFile } from '../../src/hpc/results/arrow-file.js';
import { tableToClientRows } from '../../src/hpc/services/client-table.js';
import { REPO } from './engine-project.js';
import { makeBenchProject, type BenchProject } from '../support/bench-project.js';
import { NETNS, SLURM, commands, files, gate } from '../support/requirements.js';

const { describe } = gate('inference service netns test', [...NETNS, ...SLURM, ...commands('curl', 'podman', 'runc', 'conmon', 'mmdebstrap'), ...files(join(REPO, 'dist/cli/main.js'))]);

const BRIDGE = 'bsvi';
const ARGS = [
  'report:services', 'provider=netns', 'provider.subnet=10.76.0.0/24', `provider.bridge=${BRIDGE}`, 'scheduler=slurm', 'topology=tiny',
  'experiment=none', 'service=inference', 'client=inference', 'client.concurrency=1,8,32', 'repetitions=1',
  // Bounded by count (40 requests); the time bounds only guard a machine far slower than this one.
  'client.requests=40', 'client.duration_s=120', 'client.timeout_s=240',
];

let project: BenchProject;

/** podman on the test project's store. */
function podman(...argv: string[]): string {
  const store = join(project.dir, 'cache', 'podman');
  const r = spawnSync('podman', argv, { encoding: 'utf8', env: { ...process.env, CONTAINERS_CONF: join(store, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(store, 'storage.conf') } });
  if (r.status !== 0) throw new Error(`podman ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The store's podman event log (events_logger = file): which containers started and were removed. */
function containerEvents(): { Name?: string; Status?: string }[] {
  const file = join(project.dir, 'cache', 'podman', 'events.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Name?: string; Status?: string }) : [];
}
let lib = '';

/**
 * A copy of the library as it is now: this test's minutes are long enough that a build or an edit
 * in the working tree meanwhile would change the code its tasks' fingerprints record (and make
 * the second run rerun). The project's `bench` is that copy.
 */
function snapshotLibrary(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-inference-lib-'));
  for (const p of ['package.json', 'package-lock.json', 'bin', 'dist', 'src']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function bench(argv: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(lib, 'bin', 'bench.js'), ...argv], { cwd: project.dir, encoding: 'utf8', timeout: 900_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
const lastRunEvents = () => project.lastRunEvents();

/**
 * The tokens in this project's job file names, from its run logs (each job's submission names its
 * output file): other cluster tests beside this one (services-gc runs the same programs) number
 * their jobs from 1 too and share /tmp.
 */
function ourTokens(): Set<string> {
  const logs = join(project.dir, 'cache', 'logs');
  const text = readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8')).join('\n');
  return new Set([...text.matchAll(/\/tmp\/bench-(?:svc|client)-([a-z0-9]+)-\d+\.out/g)].map((m) => m[1] as string));
}

/** What our jobs could leave: processes in our jobs' scratch dirs, and those dirs and outputs. */
function leftovers(): string[] {
  const tokens = ourTokens();
  expect(tokens.size).toBeGreaterThan(0);
  const ours = (name: string) => {
    const m = /^bench-(?:svc|client)-([a-z0-9]+)-\d+\.(?:out|d)$/.exec(name);
    return m !== null && tokens.has(m[1] as string);
  };
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd.startsWith('/tmp/') && ours(cwd.slice(5).split('/')[0] ?? '')) out.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch { /* gone meanwhile */ }
  }
  for (const f of readdirSync('/tmp').filter(ours)) out.push(`/tmp/${f}`);
  return out;
}

describe('inference service and client as SLURM jobs on netns', () => {
  beforeAll(() => {
    project = makeBenchProject('bench-inference-it-');
    lib = snapshotLibrary();
    rmSync(join(project.dir, 'node_modules', 'bench'));
    symlinkSync(lib, join(project.dir, 'node_modules', 'bench'));
  });

  afterAll(async () => {
    if (!project) return;
    // Only after a failure is there a container to remove; the store goes with the project.
    if (existsSync(join(project.dir, 'cache', 'podman', 'storage.conf'))) try { podman('rm', '-a', '-f', '-t', '0'); } catch { /* reported by the test */ }
    await project.remove();
    if (lib) rmSync(lib, { recursive: true, force: true });
  }, 180_000);

  it('one server job, three load-generator jobs at concurrency 1, 8, 32, all in containers, per-request rows, a report section; the rerun runs nothing; nothing left', async () => {
    const first = bench(ARGS);
    expect(first.status, first.output).toBe(0);
    expect(lastRunEvents().filter((e) => e.kind === 'resource-up' && e.taskId?.startsWith('service:deploy'))).toHaveLength(1);
    const runsDir = join(project.dir, 'results', 'report-services', 'all', 'runs');
    const runs = readdirSync(runsDir).sort();
    expect(runs).toHaveLength(3);
    const serviceJobs = new Set<number>();
    const clientJobs = new Set<number>();
    const concurrencies: number[] = [];
    for (const r of runs) {
      const run = JSON.parse(readFileSync(join(runsDir, r, 'run.json'), 'utf8')) as { service_job: number; client_job: number; concurrency: number; client: string; granularity: string; runtime: string; image: string };
      expect(run.client).toBe('inference');
      expect(run.runtime).toBe('podman');
      expect(run.image).toMatch(/^localhost\/bench-services:[0-9a-f]{16}$/);
      expect(run.granularity).toBe('request');
      serviceJobs.add(run.service_job);
      clientJobs.add(run.client_job);
      concurrencies.push(run.concurrency);
      const rows = tableToClientRows(await readArrowFile(join(runsDir, r, 'client.arrow')));
      // Bounded by count: every one of the 40 requests, each its own row, each answered.
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((x) => x.status))).toEqual(new Set(['ok']));
      expect(new Set(rows.map((x) => x.op))).toEqual(new Set(['short', 'long']));
      for (const x of rows) expect(x.tEnd).toBeGreaterThan(x.tStart);
      const m = JSON.parse(readFileSync(join(runsDir, r, 'metrics.json'), 'utf8')) as Record<string, number | string>;
      expect(m['requests']).toBe(40);
      expect(m['latency_percentiles']).toBe('exact');
      expect(m['throughput_rps']).toBeGreaterThan(0);
      expect(m['latency_p99_ms']).toBeGreaterThanOrEqual(Number(m['latency_p50_ms']));
      expect(m['error_rate']).toBe(0);
    }
    expect(serviceJobs.size).toBe(1);
    expect(clientJobs.size).toBe(3);
    expect(concurrencies.sort((a, b) => a - b)).toEqual([1, 8, 32]);
    // The server and every load generator really ran in containers: each job's own, started and removed.
    const ev = containerEvents();
    for (const name of [`bench-svc-${[...serviceJobs][0]}-`, ...[...clientJobs].map((j) => `bench-client-${j}-`)]) {
      for (const status of ['start', 'remove']) expect(ev.some((e) => e.Status === status && e.Name?.startsWith(name)), `${status} of ${name}*`).toBe(true);
    }
    // Two images: the server's (python3 + the pinned packages) and the load generator's (python3).
    expect(podman('images', '--format', '{{.Repository}}:{{.Tag}}').trim().split('\n')).toHaveLength(2);
    const html = readFileSync(join(project.dir, 'results', 'services.html'), 'utf8');
    expect(html).toContain('<h2>inference <small>(client inference)</small></h2>');
    for (const c of [1, 8, 32]) expect(html).toContain(`>c=${c}</text>`);
    const text = readFileSync(join(project.dir, 'results', 'services.txt'), 'utf8');
    expect(text).toMatch(/concurrency +32: +\d+ req\/s/);
    console.log(text);

    const second = bench(ARGS);
    expect(second.status, second.output).toBe(0);
    expect(second.output).toMatch(/done: 0 ran/);
    expect(lastRunEvents().filter((e) => e.kind === 'resource-up')).toHaveLength(0);
    expect(leftovers()).toEqual([]);
    expect(podman('ps', '-a', '--format', '{{.Names}}').trim()).toBe('');
    expect(spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout).not.toContain(BRIDGE);
  }, 1_200_000);

  it('report:pareto of a sweep that deployed the service has a services section (client runs reused); a sweep without services has none', () => {
    const workload = ['workload=short', 'workload.jobs=2'];
    const withServices = bench(['report:pareto', ...ARGS.slice(1), ...workload]);
    expect(withServices.status, withServices.output).toBe(0);
    expect(withServices.output).toMatch(/report:services-section\[all\]/);
    // The three client runs of the first test are up to date: no service job this time.
    expect(lastRunEvents().filter((e) => e.kind === 'resource-up' && e.taskId?.startsWith('service:deploy'))).toHaveLength(0);
    const html = readFileSync(join(project.dir, 'results', 'report.html'), 'utf8');
    expect(html).toContain('<h2 id="services">Services</h2>');
    expect(html).toContain('<a href="#services">services</a>');
    expect(html).toContain('data-service="inference"');
    for (const c of [1, 8, 32]) expect(html).toContain(`>c=${c}</text>`);
    expect(html.indexOf('id="services"')).toBeLessThan(html.indexOf('id="all-points"'));
    expect(readFileSync(join(project.dir, 'results', 'latest', 'report.html'), 'utf8')).toBe(html);
    expect(readFileSync(join(project.dir, 'results', 'front.txt'), 'utf8')).toMatch(/Pareto fronts/);

    const without = bench(['report:pareto', 'experiment=none', 'repetitions=1', ...workload]);
    expect(without.status, without.output).toBe(0);
    expect(without.output).not.toMatch(/report:services-section/);
    const plain = readFileSync(join(project.dir, 'results', 'report.html'), 'utf8');
    expect(plain).toContain('<h2 id="all-points">');
    expect(plain).not.toContain('id="services"');
  }, 600_000);
});
