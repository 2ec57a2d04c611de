/**
 * `bench gc` and the service/client jobs a dead run leaves on a cluster bench does not tear down.
 * A netns SLURM cluster kept up by `bench up` stands in for an existing cluster (provider=ssh):
 * gc must find the orphans through the job tags and the recorded cluster, as it would there. A
 * client run is killed with SIGKILL while its load-generator job runs; gc cancels that job (ours,
 * owner dead), spares the kept service job (a ledger row holds it) and two foreign jobs with the
 * same name (one with another project's tag, one with none). Needs root, iproute2, util-linux,
 * openssh-server, munge, slurm-wlm, curl, python3 and the inference venv; under CI=true it runs or fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO } from './engine-project.js';
import { makeBenchProject, type BenchProject } from '../support/bench-project.js';
import { INFERENCE_PYTHON } from '../support/inference-venv.js';
import { NETNS, SLURM, commands, files, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';

const { describe } = gate('services gc test', [...NETNS, ...SLURM, ...commands('curl', 'python3', 'nsenter'), ...files(join(REPO, 'dist/cli/main.js'), INFERENCE_PYTHON)]);

const BRIDGE = 'bsvg';
// On the host (the recipes default to podman): this test is about gc, and keeps runtime host covered.
const CONFIG = ['provider=netns', 'provider.subnet=10.75.0.0/24', `provider.bridge=${BRIDGE}`, 'scheduler=slurm', 'topology=tiny', 'experiment=none', 'service=inference', 'client=inference', 'service.runtime=host', 'client.runtime=host'];

let project: BenchProject;
let dir = '';
const bench = (argv: string[]) => project.bench(argv);

const clusterRecords = (): string[] => (existsSync(join(dir, 'cache', 'netns')) ? readdirSync(join(dir, 'cache', 'netns')).filter((f) => f.endsWith('.json')) : []);

/** The cluster's hosts' long-lived processes (the netns provider's state file). */
function hostPids(): { role: string; pid: number }[] {
  const [record] = clusterRecords();
  return (JSON.parse(readFileSync(join(dir, 'cache', 'netns', record as string), 'utf8')) as { hosts: { role: string; pid: number }[] }).hosts;
}

/** Runs a command on the head host (its network, mount and UTS namespaces: its own SLURM config and munge). */
function onHead(argv: string[]): string {
  const pid = hostPids().find((h) => h.role === 'head')?.pid as number;
  const r = spawnSync('nsenter', ['-t', String(pid), '-n', '-m', '-u', ...argv], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} on the head: ${r.stderr}`);
  return r.stdout;
}

/** squeue on the head: job id -> `name|state|comment`. */
function jobs(): Map<number, string> {
  return new Map(onHead(['squeue', '-h', '-o', '%i|%j|%T|%k']).split('\n').filter(Boolean).map((l) => {
    const [id, ...rest] = l.split('|');
    return [Number(id), rest.join('|')];
  }));
}

/**
 * The SLURM job id of the load generator running in this cluster, from its scratch dir
 * (`/tmp/bench-client-<token>-<id>.d`); other cluster tests beside this one have their own network namespaces.
 */
function loadgenJob(): number | undefined {
  const nets = new Set(hostPids().map((h) => readlinkSync(`/proc/${h.pid}/ns/net`)));
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!nets.has(readlinkSync(`/proc/${pid}/ns/net`))) continue;
      const m = /^\/tmp\/bench-client-[a-z0-9]+-(\d+)\.d/.exec(readlinkSync(`/proc/${pid}/cwd`));
      if (m && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('loadgen.py')) return Number(m[1]);
    } catch { /* gone meanwhile */ }
  }
  return undefined;
}

describe('bench gc and orphaned service jobs on a cluster it keeps', () => {
  beforeAll(() => {
    project = makeBenchProject('bench-svc-gc-it-');
    dir = project.dir;
  });

  afterAll(async () => {
    if (project) {
      bench(['down']);
      await project.remove();
    }
  }, 180_000);

  it('cancels the killed run\'s client job, never the kept service or a foreign job with the same name', async () => {
    const up = bench(['up', 'service:deploy', ...CONFIG]);
    expect(up.status, up.output).toBe(0);
    const service = [...jobs()].find(([, v]) => v.startsWith('bench-svc-inference|RUNNING|bench-svc '))?.[0];
    expect(service, [...jobs()].join('\n')).toBeDefined();

    // A long client run, killed while its job runs.
    const client = ['client:run', ...CONFIG, 'client.concurrency=2', 'client.requests=1000000', 'client.duration_s=600', 'client.timeout_s=900', 'repetitions=1'];
    const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...client], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const orphan = await until('the load generator running', () => {
      if (child.exitCode !== null) throw new Error(`bench exited early:\n${out}`);
      return loadgenJob();
    }, 240_000, 200);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(jobs().get(orphan)).toMatch(/^bench-client-inference\|RUNNING\|bench-svc [0-9a-f]{16} \S+:\d+:\d+$/);

    // Foreign jobs named like ours: another project's tag, and no tag at all (pending or running: the cluster is small).
    const foreignTag = 'bench-svc 0123456789abcdef elsewhere:1:1';
    const sbatch = (comment: string[]) => Number(onHead(['sbatch', '--parsable', '--job-name=bench-client-inference', ...comment, '--time=10', '--output=/dev/null', '--wrap=sleep 600']).trim());
    const foreign = [sbatch([`--comment=${foreignTag}`]), sbatch([])];

    const dry = bench(['gc', '--dry-run']);
    expect(dry.status, dry.output).toBe(0);
    expect(dry.output).toMatch(new RegExp(`would cancel 1 service/client jobs of dead runs on the netns cluster at \\S+: ${orphan}\\n`));
    expect(jobs().has(orphan)).toBe(true);

    const gc = bench(['gc']);
    expect(gc.status, gc.output).toBe(0);
    expect(gc.output).toMatch(new RegExp(`cancelled 1 service/client jobs of dead runs on the netns cluster at \\S+: ${orphan}\\n`));
    await until('the orphaned client job gone', () => !jobs().has(orphan) || /CANCELLED/.test(jobs().get(orphan) ?? ''), 60_000, 200);
    await until('its load generator ended', () => loadgenJob() === undefined, 60_000, 200);
    const left = jobs();
    expect(left.get(service as number)).toMatch(/^bench-svc-inference\|RUNNING\|/);
    expect(left.get(foreign[0] as number)).toMatch(new RegExp(`^bench-client-inference\\|(PENDING|RUNNING)\\|${foreignTag}$`));
    expect(left.get(foreign[1] as number)).toMatch(/^bench-client-inference\|(PENDING|RUNNING)\|/);

    // A second gc finds nothing of ours.
    expect(bench(['gc']).output).not.toMatch(/cancelled \d+ service\/client jobs/);
    const down = bench(['down']);
    expect(down.status, down.output).toBe(0);
    expect(clusterRecords()).toEqual([]);
    expect(spawnSync('ip', ['link', 'show', BRIDGE]).status).not.toBe(0);
  }, 600_000);
});
