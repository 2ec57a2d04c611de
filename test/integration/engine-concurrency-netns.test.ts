/**
 * Two bench processes on one copy of this project, each running a workload on a real SLURM
 * cluster of network namespaces on the same subnet (so the same `cluster:provision` instance and
 * the same exclusive lock): the second brings its cluster up only after the first took its own
 * down, both finish, and nothing is left. Without a lock across processes the second would build
 * a bridge and namespaces on a subnet in use. Needs root, iproute2, util-linux, openssh-server,
 * munge and slurm-wlm; under CI=true it runs or fails, never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import { REPO } from './engine-project.js';
import { NETNS, SLURM, files, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('netns concurrency test', [...NETNS, ...SLURM, ...files(join(REPO, 'dist/cli/main.js'))]);

const SUBNET = '10.99.0.0/24';
const args = (seed: number): string[] => [
  'workload:run', 'provider=netns', `provider.subnet=${SUBNET}`, 'scheduler=slurm', 'topology=tiny', 'workload=short', 'experiment=none',
  'repetitions=1', `seed=${seed}`, 'workload.jobs=2', 'workload.arrival.mean_interarrival_s=100', 'workload.runtime_s.median=200', 'workload.runtime_s.max=300',
];

let dir = '';
const children: ChildProcess[] = [];

interface Run { child: ChildProcess; output: () => string; exit: Promise<number | string> }

function startBench(seed: number): Run {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args(seed)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => { text += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { text += d.toString(); });
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return { child, output: () => text, exit };
}

/** `[up, down]` times of the cluster in one process's event log. */
function clusterSpan(pid: number | undefined): { up?: number; down?: number } {
  const logs = join(dir, 'cache', 'logs');
  const file = existsSync(logs) ? readdirSync(logs).find((f) => f.endsWith(`-${pid}.ndjson`)) : undefined;
  if (!file) return {};
  const events = readFileSync(join(logs, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; taskId?: string; at: number });
  const span: { up?: number; down?: number } = {};
  for (const e of events) {
    if (!e.taskId?.startsWith('cluster:provision')) continue;
    if (e.kind === 'resource-up') span.up ??= e.at;
    if (e.kind === 'resource-down') span.down ??= e.at;
  }
  return span;
}

describe('two bench processes, one real netns subnet', () => {
  beforeAll(() => {
    dir = copyProject('bench-netns-lock-');
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dir) {
      await cleanupNetnsLeftovers({ state_dir: join(dir, 'cache', 'netns') });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('take the cluster lock one after the other across processes, and both finish', async () => {
    const a = startBench(1);
    await until('the first cluster up', () => {
      if (a.child.exitCode !== null) throw new Error(`first bench exited early:\n${a.output()}`);
      return clusterSpan(a.child.pid).up;
    }, 120_000, 100);
    const b = startBench(2);
    expect(await a.exit, a.output()).toBe(0);
    expect(await b.exit, b.output()).toBe(0);
    const sa = clusterSpan(a.child.pid);
    const sb = clusterSpan(b.child.pid);
    expect(sa.down).toBeDefined();
    expect(sb.up).toBeDefined();
    expect(sb.up as number).toBeGreaterThanOrEqual(sa.down as number);
    for (const r of [a, b]) expect(r.output()).toMatch(/✓ workload:run\[/);
    // This subnet's bridge address is gone (other clusters, e.g. of tests run beside this one, may be up).
    expect(spawnSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' }).stdout).not.toMatch(/inet 10\.99\.0\./);
  }, 360_000);
});
