/**
 * The netns provider on real namespaces with real sshd: a 1 head + 2 compute cluster reached
 * over SSH with the pinned host keys, each host with its own name, address, /run and SLURM dirs;
 * teardown after `down` (also of daemons started later over SSH), after SIGINT and abort during
 * bring-up, and of the leftovers of a kill -9. Needs root, iproute2, util-linux and openssh.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, it } from 'vitest';
import { cleanupNetnsLeftovers, findNetnsLeftovers, netnsProvider } from '../../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor } from '../../src/hpc/backends/registry.js';
import type { BackendContext, Cluster, Host, Topology } from '../../src/hpc/backends/types.js';
import type { Logger } from '../../src/engine/graph/task-def.js';
import { NETNS, commands, gate } from '../support/requirements.js';
import { eventually, until } from '../support/wait.js';

const root = resolve(import.meta.dirname, '../..');
const { describe } = gate('netns provider test', [...NETNS, ...commands('ssh', 'bash')]);

const small: Topology = { name: 'tiny', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 1, vcpus: 1, memory_gib: 1, gpus: 0 } };
// Larger than any test machine on purpose: the declared sizes must survive, with a note.
const three: Topology = { name: 'three', head_nodes: { count: 1, vcpus: 4, memory_gib: 8 }, compute_nodes: { count: 2, vcpus: 512, memory_gib: 4096, gpus: 2 } };
const quiet: Logger = { info: () => undefined, warn: () => undefined, debug: () => undefined };
let stateDir = '';

function config(subnet = '10.81.0.0/24'): Record<string, unknown> {
  return { kind: 'netns', subnet, bridge: 'bnb', scale_to_host: true, time_scale: 0.01, state_dir: stateDir, ready_timeout_s: 20, host_state: hostStateFor('netns') };
}

function ctxWith(signal = new AbortController().signal, info: (m: string) => void = () => undefined): BackendContext {
  return { signal, log: { ...quiet, info }, workDir: stateDir };
}

/** Runs a command on a host with OpenSSH, trusting only the host keys the provider recorded. */
async function ssh(cluster: Cluster, host: Host, command: string): Promise<string> {
  const knownHosts = join(stateDir, 'known_hosts');
  writeFileSync(knownHosts, cluster.hosts.map((h) => `${h.address} ${h.hostKey ?? ''}`).join('\n') + '\n');
  const r = await execa('ssh', ['-F', '/dev/null', '-i', cluster.clientKeyPath ?? '', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `root@${host.address}`, command], { reject: false });
  if (r.exitCode !== 0) throw new Error(`ssh ${host.name} "${command}" exited ${r.exitCode}: ${r.stderr}`);
  return r.stdout.trim();
}

function pidsWithCmdline(fragment: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(fragment); } catch { return false; }
  }).map(Number);
}

/** Nothing of the cluster is left: namespaces, veths, bridge, processes, state file and dir. */
async function expectNothingLeft(id: string, bridge: string): Promise<void> {
  expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(`bench-${id}-`);
  const links = (await execa('ip', ['-o', 'link', 'show'])).stdout;
  expect(links).not.toContain(`bnv${id}`);
  expect(links).not.toContain(`${bridge}:`);
  expect(pidsWithCmdline(`${join(stateDir, id)}/`)).toEqual([]);
  expect(existsSync(join(stateDir, `${id}.json`))).toBe(false);
  expect(existsSync(join(stateDir, id))).toBe(false);
}

/** The first recorded cluster once its first host process is started; that process is then frozen (SIGSTOP) so bring-up cannot finish. */
async function freezeFirstHost(): Promise<{ id: string; bridge: string }> {
  const s = await until('a host process', () => findNetnsLeftovers({ state_dir: stateDir }).find((x) => x.hosts[0]?.pid), 20_000, 5);
  process.kill(s.hosts[0]?.pid ?? 0, 'SIGSTOP');
  return { id: s.id, bridge: s.bridge };
}

/** `up` in a child process that prints `UP <id>` and then stays alive, or `TORN-DOWN <error>`. */
function upInChild(topology: Topology): { child: ReturnType<typeof spawn>; output: () => string; printed: (re: RegExp) => Promise<string> } {
  const script = join(stateDir, 'child.mts');
  writeFileSync(script, `import { netnsProvider } from ${JSON.stringify(join(root, 'src/hpc/backends/netns/netns-provider.ts'))};
const ac = new AbortController();
process.on('SIGINT', () => ac.abort());
const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
try {
  const c = await netnsProvider.up(${JSON.stringify(topology)}, ${JSON.stringify(config('10.81.1.0/24'))}, { signal: ac.signal, log, workDir: ${JSON.stringify(stateDir)} });
  console.log('UP ' + String(c.data.id));
  setInterval(() => undefined, 1000);
} catch (e) { console.log('TORN-DOWN ' + String(e)); }
`);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer): void => { out += d.toString(); for (const w of waiters) w(); };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const printed = (re: RegExp): Promise<string> => new Promise((res, rej) => {
    const check = (): void => { const m = re.exec(out); if (m) res(m[0]); };
    waiters.push(check);
    child.once('exit', () => { check(); rej(new Error(`child exited without printing ${String(re)}:\n${out}`)); });
    check();
  });
  return { child, output: () => out, printed };
}

describe('netns provider', () => {
  afterEach(async () => {
    await cleanupNetnsLeftovers({ state_dir: stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('brings up 1 head + 2 compute hosts with their own names, addresses, /run and SLURM dirs, reachable from each other; down removes everything', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-netns-'));
    const infos: string[] = [];
    const ctx = ctxWith(undefined, (m) => infos.push(m));
    let t = performance.now();
    const cluster = await netnsProvider.up(three, config(), ctx);
    const upS = (performance.now() - t) / 1000;
    const id = String(cluster.data['id']);
    const bridge = String(cluster.data['bridge']);
    expect(cluster.hosts.map((h) => [h.name, h.role, h.address, h.port, h.user, h.cpus, h.memoryMiB, h.gpus])).toEqual([
      ['head1', 'head', '10.81.0.2', 22, 'root', 4, 8192, 0], ['c1', 'compute', '10.81.0.3', 22, 'root', 512, 4096 * 1024, 2], ['c2', 'compute', '10.81.0.4', 22, 'root', 512, 4096 * 1024, 2]]);
    expect(new Set(cluster.hosts.map((h) => h.hostKey)).size).toBe(3);
    for (const h of cluster.hosts) expect(h.hostKey).toMatch(/^ssh-ed25519 AAAA\S+$/);
    expect(cluster.scaledNote).toMatch(/declared sizes .* exceed the real machine.*SLURM will be told the declared sizes/);
    expect(infos.join('\n')).toContain(cluster.scaledNote);
    // A second cluster on the same subnet would route SSH to the wrong hosts; it is refused, leaving nothing.
    await expect(netnsProvider.up(small, config(), ctx)).rejects.toThrow(/subnet 10\.81\.0\.0\/24 is already in use.*bnb-/);
    expect(findNetnsLeftovers({ state_dir: stateDir }).map((s) => s.id)).toEqual([id]);

    const [head, c1, c2] = cluster.hosts as [Host, Host, Host];
    for (const h of cluster.hosts) {
      const out = await ssh(cluster, h, `hostname; ip -4 -o addr show dev eth0; echo ${h.name} > /run/probe-${h.name}; echo ${h.name} > /etc/slurm/probe; ls /sys/fs/cgroup | wc -l`);
      const [name, addr, cgroups] = out.split('\n');
      expect(name).toBe(h.name);
      expect(addr).toContain(`inet ${h.address}/24`);
      // slurmd needs the cgroup tree, which `ip netns exec` would hide.
      expect(Number(cgroups)).toBeGreaterThan(0);
    }
    // /run and /etc/slurm are each host's own: the others' files are not there.
    expect(await ssh(cluster, c1, 'ls /run | grep ^probe-; cat /etc/slurm/probe')).toBe('probe-c1\nc1');
    expect(readFileSync(join(stateDir, id, 'c2', 'root', 'etc', 'slurm', 'probe'), 'utf8')).toBe('c2\n');
    // Hosts reach each other by name and by address.
    expect(await ssh(cluster, head, `bash -c '</dev/tcp/c1/22 && </dev/tcp/${c2.address}/22 && echo reached'`)).toBe('reached');
    expect(await ssh(cluster, c2, `bash -c '</dev/tcp/head1/22 && echo reached'`)).toBe('reached');

    // A daemon started later over SSH, detached from the session, is killed by down.
    const marker = `1000.${process.pid}${Date.now() % 1000}`;
    await ssh(cluster, c2, `setsid nohup sleep ${marker} >/dev/null 2>&1 </dev/null &`);
    // Exactly the sleep once it has settled: the shells around it exec or exit meanwhile.
    expect(await eventually(() => pidsWithCmdline(`sleep ${marker}`).length === 1)).toBe(true);

    t = performance.now();
    await netnsProvider.down(JSON.parse(JSON.stringify(cluster)) as Cluster, ctx);
    console.log(`netns 3 hosts: up ${upS.toFixed(2)} s, down ${((performance.now() - t) / 1000).toFixed(2)} s`);
    expect(pidsWithCmdline(`sleep ${marker}`)).toEqual([]);
    await expectNothingLeft(id, bridge);
    // Idempotent: a second down on the same record is a no-op, not an error.
    await netnsProvider.down(cluster, ctx);
    await expectNothingLeft(id, bridge);
  });

  it('tears down and throws with the sshd output when a host is not ready by the deadline', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-netns-'));
    const up = netnsProvider.up(small, { ...config('10.81.2.0/24'), ready_timeout_s: 2 }, ctxWith());
    const { id, bridge } = await freezeFirstHost();
    await expect(up).rejects.toThrow(/head1: sshd at 10\.81\.2\.2:22 not ready within 2 s.*; sshd output:/s);
    await expectNothingLeft(id, bridge);
  });

  it('tears down when aborted while waiting for the hosts', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-netns-'));
    const ac = new AbortController();
    const up = netnsProvider.up(small, config('10.81.3.0/24'), ctxWith(ac.signal));
    const { id, bridge } = await freezeFirstHost();
    ac.abort();
    await expect(up).rejects.toThrow(/cancelled during bring-up/);
    await expectNothingLeft(id, bridge);
  });

  it('tears down when the process running up gets SIGINT', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-netns-'));
    const { child, printed } = upInChild(small);
    const { id, bridge } = await freezeFirstHost();
    child.kill('SIGINT');
    expect(await printed(/TORN-DOWN .*/)).toMatch(/cancelled during bring-up/);
    await expectNothingLeft(id, bridge);
  });

  it('finds and removes the leftovers of a kill -9 of the process that ran up', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-netns-'));
    const { child, printed } = upInChild({ ...small, compute_nodes: { ...small.compute_nodes, count: 2 } });
    const id = (await printed(/UP [0-9a-f]+/)).slice(3);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const [left] = findNetnsLeftovers({ state_dir: stateDir });
    expect(left?.id).toBe(id);
    // The three sshd listeners outlive their parent.
    expect(pidsWithCmdline(`${join(stateDir, id)}/`).length).toBe(3);
    expect(await cleanupNetnsLeftovers({ state_dir: stateDir })).toBeGreaterThanOrEqual(3);
    await expectNothingLeft(id, left?.bridge ?? '');
    expect(findNetnsLeftovers({ state_dir: stateDir })).toEqual([]);
  });
});
