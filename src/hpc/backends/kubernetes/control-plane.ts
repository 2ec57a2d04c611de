/**
 * The control plane's processes, started in the head host's network namespace from this
 * machine's binaries (the head's own mount namespace hides the build cache under /root), detached
 * so they outlive a crashed bench: the netns teardown finds and ends everything in the namespace.
 * Each component listens on the head's bridge address at a fixed port (the namespace is the
 * cluster's own), so bench reaches it from this machine.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';

/** Fixed ports inside the head's namespace. */
export const PORTS = {
  etcd: 2379, etcdPeer: 2380, apiserver: 6443, controllerManager: 10257, kubeScheduler: 10259,
  volcanoMetrics: 8080, volcanoHealth: 11251, volcanoControllerMetrics: 8081, volcanoControllerHealth: 11252, kwok: 10247,
} as const;

/** One started component. */
export interface Component { name: string; pid: number; log: string }

/** Starts `bin args` in network namespace `netns`, output to `<logDir>/<name>.log`. */
export function startComponent(o: { netns: string; name: string; bin: string; args: string[]; logDir: string }): Promise<Component> {
  const log = join(o.logDir, `${o.name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn('nsenter', [`--net=/run/netns/${o.netns}`, o.bin, ...o.args], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve({ name: o.name, pid: child.pid ?? 0, log }));
    child.once('error', (e) => reject(new Error(`cannot start ${o.name}: ${e.message}`)));
  });
}

/** Whether a PID still runs (a zombie of ours counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The last lines of a component's log, for errors. */
export function logTail(c: Component, lines = 15): string {
  try {
    const text = readFileSync(c.log, 'utf8').trimEnd();
    return text ? text.split('\n').slice(-lines).map((l) => `  ${c.name}: ${l}`).join('\n') : `  ${c.name}: (no output)`;
  } catch {
    return `  ${c.name}: (no log)`;
  }
}

/** GET a URL, TLS unchecked (components' self-signed health ports); resolves the status and body. */
export function probe(url: string, timeoutMs = 3000): Promise<{ status: number; text: string }> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve) => {
    const req = get(url, { timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, text: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, text: e.message }));
  });
}

/**
 * Polls `check` until it returns true, the deadline passes or a watched component exits; the
 * error names what was awaited and carries the components' own last log lines.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, o: { deadline: number; watch: readonly Component[]; signal: AbortSignal; intervalMs?: number }): Promise<void> {
  for (;;) {
    if (await check().catch(() => false)) return;
    const dead = o.watch.filter((c) => !alive(c.pid));
    if (dead.length) throw new Error(`kubernetes: ${dead.map((c) => c.name).join(', ')} exited while waiting for ${what}:\n${dead.map((c) => logTail(c)).join('\n')}`);
    if (o.signal.aborted) throw new Error(`kubernetes: cancelled while waiting for ${what}`);
    if (Date.now() > o.deadline) throw new Error(`kubernetes: ${what}: not within the ready timeout; last log lines:\n${o.watch.map((c) => logTail(c, 8)).join('\n')}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
  }
}

/** SIGTERM, then SIGKILL after `graceMs`, to the components still running; returns those that would not die. */
export async function stopComponents(cs: readonly Component[], graceMs = 3000): Promise<Component[]> {
  const ours = cs.filter((c) => alive(c.pid) && cmdlineHas(c.pid, c.name));
  for (const c of ours) try { process.kill(c.pid, 'SIGTERM'); } catch { /* gone */ }
  const start = Date.now();
  while (ours.some((c) => alive(c.pid)) && Date.now() - start < graceMs) await new Promise((r) => setTimeout(r, 50));
  for (const c of ours.filter((x) => alive(x.pid))) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
  while (ours.some((c) => alive(c.pid)) && Date.now() - start < graceMs + 3000) await new Promise((r) => setTimeout(r, 50));
  return ours.filter((c) => alive(c.pid));
}

/** A recorded PID is only signalled while it still runs the binary it was started as (PIDs are reused). */
function cmdlineHas(pid: number, name: string): boolean {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith(`/${name}`)); } catch { return false; }
}
