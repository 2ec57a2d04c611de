/**
 * The libvirt path: transient domains created from `renderDomainXml` and driven with `virsh`
 * against the system daemon. These machines have no systemd, so libvirtd (and virtlogd, which
 * it needs for QEMU's log) can be started by hand.
 *
 * A daemon bench starts is stopped again when the cluster it was started for goes and no domain
 * is left on it (`stopIdleDaemons`); while another client's domains run there, it stays.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processRunning } from '../../../engine/pid-alive.js';

const URI = 'qemu:///system';
/** Where libvirtd keeps each running domain's PID file and the QEMU log of each domain. */
const RUN_DIR = '/run/libvirt/qemu';
const LOG_DIR = '/var/log/libvirt/qemu';

async function virsh(args: string[]): Promise<{ ok: boolean; out: string }> {
  const r = await execa('virsh', ['-c', URI, ...args], { reject: false, all: true });
  return { ok: r.exitCode === 0, out: String(r.all ?? '').trim() };
}

/** A daemon started by `ensureLibvirtd`, for whoever has to stop it. */
export interface StartedDaemon { name: 'libvirtd' | 'virtlogd'; pid: number }

export interface LibvirtdStatus {
  ok: boolean;
  reason: string;
  /** Daemons this call started (empty when they were already running). */
  started: StartedDaemon[];
}

function daemonPid(name: string): number | undefined {
  const file = `/run/${name}.pid`;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return pid > 0 && processRunning(pid) ? pid : undefined;
}

/** Starts a libvirt daemon in the background unless its PID file names a live one. */
async function startDaemon(name: StartedDaemon['name']): Promise<{ started?: StartedDaemon; error?: string }> {
  if (daemonPid(name) !== undefined) return {};
  const r = await execa(name, ['-d'], { reject: false, all: true });
  if (r.exitCode !== 0) return { error: `${name} -d failed: ${String(r.all ?? '').trim().slice(0, 300)}` };
  // `-d` returns once the PID file is written; a failed driver start comes later (see below).
  const pid = daemonPid(name);
  return pid === undefined ? { error: `${name} -d exited but left no live process` } : { started: { name, pid } };
}

/** The error lines libvirtd logged since `sinceMs`, to say why it died. */
function libvirtdErrors(sinceMs: number): string {
  const file = '/var/log/libvirt/libvirtd.log';
  if (!existsSync(file)) return '';
  // Lines start with a UTC time: `2026-01-31 12:00:00.123+0000: <tid>: error : ...`.
  const at = (l: string): number => Date.parse(l.slice(0, 23).replace(' ', 'T') + 'Z');
  const errors = readFileSync(file, 'utf8').split('\n').filter((l) => / error : /.test(l) && at(l) >= sinceMs - 1000);
  return errors.slice(-2).map((l) => l.replace(/^.* error : /, '')).join('; ');
}

/**
 * True when libvirtd answers on qemu:///system. With `start`, libvirtd and virtlogd are started
 * when not running; without it, nothing is started (the `auto` runtime leaves no daemon behind).
 */
export async function ensureLibvirtd(start = true): Promise<LibvirtdStatus> {
  if ((await execa('sh', ['-c', 'command -v virsh && command -v libvirtd && command -v virtlogd'], { reject: false })).exitCode !== 0) {
    return { ok: false, reason: 'virsh/libvirtd/virtlogd not installed', started: [] };
  }
  const started: StartedDaemon[] = [];
  const since = Date.now();
  // libvirtd may run without virtlogd, but then every domain start fails on the log socket.
  // Under systemd, virtlogd is socket-activated and needs no process yet.
  const answers = (await virsh(['version'])).ok;
  if (answers && (!start || daemonPid('virtlogd') !== undefined || existsSync('/run/systemd/system'))) {
    return { ok: true, reason: 'libvirtd running', started };
  }
  if (!start) return { ok: false, reason: 'libvirtd not running', started };
  for (const name of answers ? ['virtlogd' as const] : ['virtlogd' as const, 'libvirtd' as const]) {
    const d = await startDaemon(name);
    if (d.error) return { ok: false, reason: name === 'libvirtd' ? `${d.error}: ${libvirtdErrors(since)}` : d.error, started };
    if (d.started) started.push(d.started);
  }
  const libvirtd = started.find((d) => d.name === 'libvirtd');
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    if ((await virsh(['version'])).ok) {
      return { ok: true, reason: started.length ? `started ${started.map((d) => `${d.name} (pid ${d.pid})`).join(' and ')}; stopped again with the cluster unless other domains use them` : 'libvirtd running', started };
    }
    // The QEMU driver fails after `-d` has returned, e.g. without the libvirt-qemu user that
    // libvirt-daemon-system creates; libvirtd then exits and only its log says why.
    if (libvirtd && !processRunning(libvirtd.pid)) {
      return { ok: false, reason: `libvirtd exited at start: ${libvirtdErrors(since) || 'see /var/log/libvirt/libvirtd.log'}`, started: started.filter((d) => processRunning(d.pid)) };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ok: false, reason: 'libvirtd started but does not answer', started };
}

/** Creates and starts a transient domain; returns its QEMU PID. */
export async function startDomain(name: string, xmlPath: string): Promise<number | undefined> {
  const r = await virsh(['create', xmlPath]);
  if (!r.ok) throw new Error(`virsh create ${name}: ${r.out}`);
  const pidFile = domainPidFile(name);
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
}

/** The PID file libvirtd writes for a running domain. */
export function domainPidFile(name: string): string {
  return join(RUN_DIR, `${name}.pid`);
}

/** Destroys a domain if it exists; absent is fine. Transient domains vanish on destroy. */
export async function destroyDomain(name: string): Promise<void> {
  await virsh(['destroy', name]);
}

/** Names of the domains libvirtd runs whose name starts with `prefix`. */
export async function listDomains(prefix: string): Promise<string[]> {
  const r = await virsh(['list', '--all', '--name']);
  return r.ok ? r.out.split('\n').map((l) => l.trim()).filter((n) => n !== '' && n.startsWith(prefix)) : [];
}

/**
 * Removes the QEMU logs libvirtd kept for a cluster's domains (`bench-<id>-*`). Domain names are
 * unique to one cluster, so the logs would only pile up, one per VM per run; the overlays and
 * console logs go with the cluster too.
 */
export async function removeDomainLogs(prefix: string): Promise<void> {
  if (!existsSync(LOG_DIR)) return;
  for (const f of readdirSync(LOG_DIR).filter((n) => n.startsWith(prefix) && n.endsWith('.log'))) await rm(join(LOG_DIR, f), { force: true });
}

/** Still the daemon that was started: alive, and its PID not reused by another program. */
function isDaemon(d: StartedDaemon): boolean {
  if (!processRunning(d.pid)) return false;
  try { return readFileSync(`/proc/${d.pid}/cmdline`, 'utf8').includes(d.name); } catch { return false; }
}

/**
 * Stops daemons bench started, by PID, once libvirtd runs no domain at all (libvirtd first: it
 * holds virtlogd's socket). Returns what was done, for the log.
 */
export async function stopIdleDaemons(started: readonly StartedDaemon[]): Promise<string> {
  const live = started.filter(isDaemon);
  if (!live.length) return '';
  const domains = await listDomains('');
  if (domains.length) return `libvirt: left ${live.map((d) => d.name).join(' and ')} running: ${domains.length} other domain(s) use it`;
  const order = [...live].sort((a, b) => Number(b.name === 'libvirtd') - Number(a.name === 'libvirtd'));
  for (const d of order) {
    try { process.kill(d.pid, 'SIGTERM'); } catch { continue; }
    const end = Date.now() + 15_000;
    while (isDaemon(d) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    if (isDaemon(d)) process.kill(d.pid, 'SIGKILL');
  }
  return `libvirt: stopped ${order.map((d) => `${d.name} (pid ${d.pid})`).join(' and ')}, started for this cluster`;
}
