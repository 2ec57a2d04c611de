/**
 * Sessions on a real SLURM cluster of network namespaces, through the CLI: `bench up
 * service:deploy` returns with the redis service job still RUNNING and answering; `bench status`
 * shows its SLURM job id, state, node and endpoint; a later client run uses the kept service
 * instead of deploying a second; `bench gc` leaves the kept session alone; `bench down` removes
 * it and leaves no job, namespace, bridge or process. Needs root, iproute2, util-linux,
 * openssh-server, munge, slurm-wlm, redis-server, redis-tools; under CI=true it runs or fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import { REPO } from './engine-project.js';
import { NETNS, SLURM, commands, files, gate } from '../support/requirements.js';
import { copyProject } from '../support/bench-project.js';

const { describe } = gate('services session test', [
  ...NETNS, ...SLURM, ...commands('redis-server', 'redis-cli', 'redis-benchmark'), ...files(join(REPO, 'dist/cli/main.js')),
]);

const BRIDGE = 'bsst';
const CONFIG = ['provider=netns', 'provider.subnet=10.97.0.0/24', `provider.bridge=${BRIDGE}`, 'scheduler=slurm', 'topology=tiny', 'experiment=none', 'service=redis',
  // On the node itself (no image to build); services-containers.test.ts covers podman.
  'service.runtime=host'];

let dir = '';

function bench(argv: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...argv], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The service line of `bench status` (`slurm_job: N  state: S  node: X  endpoint: A:P`), parsed. */
function serviceStatus(output: string): { job: number; state: string; node: string; address: string; port: number } | undefined {
  const m = /slurm_job: (\d+)\s+state: (\S+)\s+node: (\S+)\s+endpoint: ([\d.]+):(\d+)/.exec(output);
  return m ? { job: Number(m[1]), state: m[2] as string, node: m[3] as string, address: m[4] as string, port: Number(m[5]) } : undefined;
}

/** Processes whose working directory is a service job's scratch dir, or that run in this test's cluster dir. */
function leftProcesses(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cwd.startsWith(join(dir, 'cache')) || cmd.includes(join(dir, 'cache', 'netns'))) out.push(`${pid} ${cmd.replace(/\0/g, ' ')}`);
    } catch { /* gone meanwhile */ }
  }
  return out;
}

const bridgeExists = (): boolean => spawnSync('ip', ['link', 'show', BRIDGE], { encoding: 'utf8' }).status === 0;
const clusterRecords = (): string[] => (existsSync(join(dir, 'cache', 'netns')) ? readdirSync(join(dir, 'cache', 'netns')).filter((f) => f.endsWith('.json')) : []);

/** The head host's long-lived process, whose network namespace the cluster's clients use. */
function headPid(): number {
  const [record] = clusterRecords();
  const state = JSON.parse(readFileSync(join(dir, 'cache', 'netns', record as string), 'utf8')) as { hosts: { role: string; pid?: number }[] };
  return state.hosts.find((h) => h.role === 'head')?.pid as number;
}

describe('bench up / status / down for a service on netns SLURM', () => {
  beforeAll(() => {
    dir = copyProject('bench-session-it-');
  });

  afterAll(async () => {
    if (dir) {
      // Only if the test failed before bench down: nothing of this cluster may outlive it.
      bench(['down']);
      await cleanupNetnsLeftovers({ state_dir: join(dir, 'cache', 'netns') });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('keeps the service up after bench up, shows it, reuses it, survives gc and goes with bench down', () => {
    const up = bench(['up', 'service:deploy', ...CONFIG]);
    expect(up.status, up.output).toBe(0);
    expect(up.output).toMatch(/kept up: service:deploy/);

    // bench has exited; the service job still runs and answers on its endpoint.
    const st = bench(['status', ...CONFIG]);
    expect(st.status, st.output).toBe(0);
    const svc = serviceStatus(st.output);
    expect(svc, st.output).toBeDefined();
    expect(svc?.state).toBe('RUNNING');
    expect(st.output).toMatch(/service:deploy\S*\s+kind service:deploy\s+owner kept session/);
    expect(st.output).toMatch(/cluster:provision\S*\s+kind cluster:provision\s+owner kept session .*\n\s+provider: netns\s+hosts: .*head/);
    const ping = spawnSync('nsenter', [`--net=/proc/${headPid()}/ns/net`, 'redis-cli', '-h', svc?.address as string, '-p', String(svc?.port), 'ping'], { encoding: 'utf8', timeout: 30_000 });
    expect(`${ping.stdout}${ping.stderr}`.trim()).toBe('PONG');

    // A second bench up of the same instance brings nothing up.
    const again = bench(['up', 'service:deploy', ...CONFIG]);
    expect(again.status, again.output).toBe(0);
    expect(again.output).toMatch(/using the kept session of service:deploy/);
    expect(again.output).not.toMatch(/↑ (cluster|scheduler|service)/);

    // A client run uses the kept service (the same SLURM job), and leaves it up.
    const client = bench(['client:run', ...CONFIG, 'client=redis', 'client.runtime=host', 'client.concurrency=4', 'client.requests=2000', 'repetitions=1']);
    expect(client.status, client.output).toBe(0);
    expect(client.output).toMatch(/using the kept session of service:deploy/);
    expect(client.output).not.toMatch(/↑ service:deploy|↓ service:deploy/);

    // gc tears down orphans of dead runs, never a kept session.
    const gc = bench(['gc']);
    expect(gc.status, gc.output).toBe(0);
    const after = serviceStatus(bench(['status', ...CONFIG]).output);
    expect(after).toEqual(svc);

    const down = bench(['down']);
    expect(down.status, down.output).toBe(0);
    // The service first, then the scheduler, then the cluster.
    const order = ['service:deploy', 'scheduler:configure', 'cluster:provision'].map((n) => down.output.indexOf(`↓ ${n}`));
    expect(order.every((i) => i >= 0), down.output).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const none = bench(['status', ...CONFIG]);
    expect(none.output).toMatch(/live resources: none/);
    expect(clusterRecords()).toEqual([]);
    expect(bridgeExists()).toBe(false);
    expect(leftProcesses()).toEqual([]);
  }, 600_000);
});
