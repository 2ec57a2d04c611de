/**
 * Real VMs under TCG (or KVM where it works) through the libvirt runtime: image build (cached
 * under cache/images), a 1 head + 1 compute cluster of transient libvirt domains reachable over
 * SSH with the pinned host keys, and teardown after success, failure, SIGINT and kill -9 with no
 * domain, QEMU, tap or bridge left. libvirtd and virtlogd are started if not running and then
 * stopped by PID. (vm-slurm.test.ts covers the QEMU-direct runtime.) Needs root (bridge and
 * taps), qemu, libvirt (libvirt-daemon-system), mmdebstrap and mkfs.ext4.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildImage, type BuiltImage } from '../../src/hpc/image/build-image.js';
import type { ImageConfig } from '../../src/hpc/image/image-fingerprint.js';
import { cleanupLeftovers, findLeftovers, libvirtProvider } from '../../src/hpc/backends/libvirt/libvirt-provider.js';
import { kvmAccessWarning } from '../../src/hpc/backends/libvirt/kvm-access.js';
import { ensureLibvirtd, listDomains, type StartedDaemon } from '../../src/hpc/backends/libvirt/virsh-runtime.js';
import { probeSsh } from '../../src/hpc/remote/wait-ssh.js';
import type { Topology } from '../../src/hpc/backends/types.js';
import { exited, links, qemuPids } from '../support/procs.js';
import { LIBVIRT, VM, gate } from '../support/requirements.js';
import { until } from '../support/wait.js';

const root = resolve(import.meta.dirname, '../..');
const { describe } = gate('VM integration test', [...VM, ...LIBVIRT]);

const topology: Topology = { name: 'tiny', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 1, vcpus: 1, memory_gib: 1, gpus: 0 } };
const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
let image: BuiltImage;
let stateDir: string;
/** Daemons this test started, to stop by PID at the end. */
let daemons: StartedDaemon[] = [];

/** Everything of cluster `id` that teardown must remove: domains, QEMU processes, links, libvirt's QEMU logs. */
async function remains(id: string): Promise<{ domains: string[]; qemu: number[]; links: string[]; logs: string[] }> {
  const logDir = '/var/log/libvirt/qemu';
  const logs = existsSync(logDir) ? readdirSync(logDir).filter((f) => f.startsWith(`bench-${id}-`)) : [];
  return { domains: await listDomains(`bench-${id}-`), qemu: qemuPids(id), links: links(id), logs };
}
const nothing = { domains: [], qemu: [], links: [], logs: [] };

async function stopDaemon(d: StartedDaemon): Promise<void> {
  try { process.kill(d.pid, 'SIGTERM'); } catch { return; }
  await until(`${d.name} (pid ${d.pid}) to exit`, () => (exited(d.pid) ? true : undefined), 15_000);
}

function config(): Record<string, unknown> {
  return { accel: 'auto', runtime: 'libvirt', subnet: '10.79.0.0/24', scale_to_host: true, state_dir: stateDir, image, ready_timeout_s: 240 };
}

/** Starts `up` in a child process; resolves once both QEMU processes are running. */
async function upInChild(): Promise<{ child: ReturnType<typeof spawn>; id: string; out: () => string }> {
  const script = join(stateDir, 'child.mts');
  writeFileSync(script, `import { libvirtProvider } from ${JSON.stringify(join(root, 'src/hpc/backends/libvirt/libvirt-provider.ts'))};
const ac = new AbortController();
process.on('SIGINT', () => ac.abort());
const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
try { await libvirtProvider.up(${JSON.stringify(topology)}, ${JSON.stringify(config())}, { signal: ac.signal, log, workDir: ${JSON.stringify(stateDir)} }); console.log('UP'); }
catch (e) { console.log('TORN-DOWN ' + String(e)); }
`);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const state = await until('two QEMU processes', () => {
    const s = findLeftovers({ state_dir: stateDir })[0];
    return s && s.vms.length === 2 && s.vms.every((v) => v.pid) ? s : undefined;
  }, 60_000);
  return { child, id: state.id, out: () => out };
}

describe('VM cluster', () => {
  beforeAll(async () => {
    // The project's own image config, so the cached image is the one runs use.
    const cfg = parse(readFileSync(join(root, 'conf/image/debian.yaml'), 'utf8')) as ImageConfig;
    const r = await buildImage(cfg, { cacheDir: join(root, 'cache/images'), log });
    if (r.kind !== 'built') throw new Error(r.message);
    image = r.image;
    // Started here rather than inside `up`, so the test knows which daemons are its own to stop.
    const d = await ensureLibvirtd(true);
    daemons = d.started;
    if (!d.ok) throw new Error(`libvirtd: ${d.reason}`);
    // Otherwise every domain start takes minutes and the boots time out for an unclear reason.
    const slow = await kvmAccessWarning();
    if (slow) throw new Error(slow);
  }, 900_000);
  afterAll(async () => {
    // libvirtd first: it holds a connection to virtlogd.
    for (const d of [...daemons].sort((a, b) => (a.name === 'libvirtd' ? -1 : b.name === 'libvirtd' ? 1 : 0))) await stopDaemon(d);
  }, 60_000);
  afterEach(async () => {
    await cleanupLeftovers({ state_dir: stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('boots 1 head + 1 compute reachable over SSH with the pinned host keys, then tears down', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-vm-'));
    const ctx = { signal: new AbortController().signal, log, workDir: stateDir };
    const cluster = await libvirtProvider.up(topology, config(), ctx);
    const id = String(cluster.data['id']);
    expect(cluster.data['runtime']).toBe('libvirt');
    // libvirtd runs the VMs: its domains are up, and each QEMU is the one its PID file names,
    // started by libvirt (its per-domain directory), not by the QEMU-direct command line.
    expect((await listDomains(`bench-${id}-`)).sort()).toEqual([`bench-${id}-c1`, `bench-${id}-head`]);
    const vms = cluster.data['vms'] as Array<{ domainName: string; pid: number }>;
    for (const vm of vms) {
      expect(Number(readFileSync(`/run/libvirt/qemu/${vm.domainName}.pid`, 'utf8'))).toBe(vm.pid);
      const cmdline = readFileSync(`/proc/${vm.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain(`guest=${vm.domainName},debug-threads=on`);
      expect(cmdline.some((a) => a.includes(`/var/lib/libvirt/qemu/domain-`))).toBe(true);
    }
    expect(cluster.hosts.map((h) => [h.name, h.role, h.port, h.user])).toEqual([['head', 'head', 22, 'root'], ['c1', 'compute', 22, 'root']]);
    for (const h of cluster.hosts) {
      expect(await probeSsh(h.address, 22, cluster.clientKeyPath ?? '', h.hostKey ?? '')).toEqual({ kind: 'ready' });
      const other = cluster.hosts.find((o) => o !== h);
      expect((await probeSsh(h.address, 22, cluster.clientKeyPath ?? '', other?.hostKey ?? '')).kind).toBe('wrong-host-key');
    }
    // VM to VM by name: the head reaches the compute node's sshd.
    const ssh = execFileSync('ssh', ['-i', cluster.clientKeyPath ?? '', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
      `root@${cluster.hosts[0]?.address ?? ''}`, 'hostname; cat < /dev/null > /dev/tcp/c1/22 && echo c1-reachable'], { encoding: 'utf8', shell: false });
    expect(ssh).toMatch(/head\s+c1-reachable/);
    await libvirtProvider.down(JSON.parse(JSON.stringify(cluster)), ctx);
    expect(await remains(id)).toEqual(nothing);
    expect(existsSync(join(stateDir, id))).toBe(false);
    expect(findLeftovers({ state_dir: stateDir })).toEqual([]);
  }, 400_000);

  it('tears down after a failed bring-up', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-vm-'));
    const ctx = { signal: new AbortController().signal, log, workDir: stateDir };
    const before = await listDomains('bench-');
    await expect(libvirtProvider.up(topology, { ...config(), image: { ...image, kernel: join(stateDir, 'no-such-kernel') } }, ctx)).rejects.toThrow(/virsh create [\s\S]*no-such-kernel/);
    expect(await listDomains('bench-')).toEqual(before);
    expect(findLeftovers({ state_dir: stateDir })).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);

  it('tears down when interrupted with SIGINT during bring-up', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-vm-'));
    const { child, id, out } = await upInChild();
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    expect(out()).toMatch(/TORN-DOWN/);
    expect(await remains(id)).toEqual(nothing);
    expect(findLeftovers({ state_dir: stateDir })).toEqual([]);
  }, 120_000);

  it('destroys the leftovers of a kill -9 on cleanup', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'bench-vm-'));
    const { child, id } = await upInChild();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(qemuPids(id).length).toBe(2);
    // The domains outlive the killed process: libvirtd owns them, not bench.
    expect((await listDomains(`bench-${id}-`)).length).toBe(2);
    expect(await cleanupLeftovers({ state_dir: stateDir })).toBe(2);
    expect(await remains(id)).toEqual(nothing);
    expect(findLeftovers({ state_dir: stateDir })).toEqual([]);
  }, 120_000);

  it('starts libvirtd and virtlogd when none runs and stops them with the cluster', async (t) => {
    // A libvirtd this test did not start (the host's service) is not this test's to stop.
    if (!daemons.some((d) => d.name === 'libvirtd')) t.skip('libvirtd was already running before this test (a service of the host), so "none runs" cannot be set up');
    // The daemons this test started stand in for "none running": stop them first.
    const mine = daemons.map((d) => d.name).sort();
    for (const d of [...daemons].sort((a, b) => Number(b.name === 'libvirtd') - Number(a.name === 'libvirtd'))) await stopDaemon(d);
    daemons = [];
    stateDir = mkdtempSync(join(tmpdir(), 'bench-vm-'));
    const notes: string[] = [];
    const ctx = { signal: new AbortController().signal, log: { ...log, info: (m: string) => notes.push(m) }, workDir: stateDir };
    const cluster = await libvirtProvider.up(topology, config(), ctx);
    const started = cluster.data['startedDaemons'] as StartedDaemon[];
    expect(started.map((d) => d.name).sort()).toEqual(mine);
    for (const d of started) expect(exited(d.pid)).toBe(false);
    await libvirtProvider.down(JSON.parse(JSON.stringify(cluster)), ctx);
    for (const d of started) await until(`${d.name} to exit`, () => (exited(d.pid) ? true : undefined), 20_000);
    const stopped = notes.find((n) => n.startsWith('libvirt: stopped ')) ?? '';
    for (const d of started) expect(stopped).toContain(`${d.name} (pid ${d.pid})`);
    expect(await remains(String(cluster.data['id']))).toEqual({ ...nothing, domains: [] });
  }, 400_000);
});
