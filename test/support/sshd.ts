/**
 * A real OpenSSH server for tests: own host key, own client key, own config, on 127.0.0.1 and a
 * free port, everything in a temp dir. Tests that need it call `sshdSkipReason()` first: without
 * sshd or root they are skipped, except under CI=true where that is an error.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { SshTarget } from '../../src/hpc/remote/types.js';

const SSHD = '/usr/sbin/sshd';

/** Why sshd tests cannot run here, or undefined when they can. Throws instead under CI=true. */
export function sshdSkipReason(): string | undefined {
  let reason: string | undefined;
  if (!existsSync(SSHD)) reason = `${SSHD} is not installed (openssh-server)`;
  else if (process.getuid?.() !== 0) reason = 'sshd tests need root (sshd must switch users and own /run/sshd)';
  if (reason && process.env.CI === 'true') throw new Error(`sshd tests cannot run: ${reason}`);
  return reason;
}

export interface SshdOptions {
  /** Port to listen on; default: a free one. */
  port?: number;
  /** Extra sshd_config lines, appended (first value wins in sshd_config, so these cannot override). */
  config?: string[];
}

/** A prepared (and possibly running) sshd. */
export interface Sshd {
  /** Temp dir holding keys, config, pid file; removed by `stop()`. */
  dir: string;
  port: number;
  /** Target for the current user, with the host key and client key of this server. */
  target: SshTarget;
  /** The host public key line as recorded (`ssh-ed25519 AAAA... comment`). */
  hostKeyLine: string;
  /** Starts sshd (again) and resolves once it accepts TCP connections. */
  start(): Promise<void>;
  /** Stops the sshd listener and its connections, keeping the dir so `start()` can bring it back. */
  kill(): Promise<void>;
  /** Kills the per-connection processes (and their commands), as a dropped network would. */
  dropConnections(): void;
  /** Replaces the host key file (takes effect at the next `start()`); returns the new key line. */
  rotateHostKey(): string;
  /** Everything sshd has written to stderr, over all its starts. */
  log(): string;
  /** Logins sshd accepted so far (its "Accepted publickey" lines). */
  acceptedLogins(): number;
  /** Kills sshd and removes the temp dir. */
  stop(): Promise<void>;
}

/** Prepares keys and config without starting sshd (for tests that control when it comes up). */
export async function createSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sshd-'));
  const port = options.port ?? (await freePort());
  const hostKeyPath = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  keygen(hostKeyPath);
  keygen(clientKeyPath);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKeyPath}.pub`));
  const cfg = join(dir, 'sshd_config');
  writeFileSync(cfg, sshdConfig(dir, port, hostKeyPath, options.config ?? []));
  const target: SshTarget = {
    name: 'sshd-test', address: '127.0.0.1', port, user: userInfo().username,
    hostKey: readFileSync(`${hostKeyPath}.pub`, 'utf8').trim(), privateKeyPath: clientKeyPath,
  };
  let child: ChildProcess | undefined;
  let log = '';
  const sshd: Sshd = {
    dir, port, target, hostKeyLine: target.hostKey,
    async start() {
      if (child) throw new Error('sshd is already running');
      // Privilege separation needs this directory; it is not created until the sshd service first runs.
      mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
      const c = spawn(SSHD, ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = c;
      c.stderr?.setEncoding('utf8').on('data', (s: string) => { log += s; });
      c.on('exit', () => { if (child === c) child = undefined; });
      await waitForListen(port, c, () => log);
    },
    async kill() {
      const c = child;
      if (!c?.pid) return;
      sshd.dropConnections();
      await killAndWait(c);
    },
    dropConnections() {
      if (!child?.pid) return;
      for (const pid of descendants(child.pid)) tryKill(pid, 'SIGKILL');
    },
    rotateHostKey() {
      rmSync(hostKeyPath, { force: true });
      rmSync(`${hostKeyPath}.pub`, { force: true });
      keygen(hostKeyPath);
      return readFileSync(`${hostKeyPath}.pub`, 'utf8').trim();
    },
    log: () => log,
    acceptedLogins: () => log.split('\n').filter((l) => l.includes('Accepted publickey')).length,
    async stop() {
      await sshd.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sshd;
}

/** `createSshd` and `start()`; the dir is removed again if sshd does not come up. */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const sshd = await createSshd(options);
  try {
    await sshd.start();
  } catch (e) {
    await sshd.stop();
    throw e;
  }
  return sshd;
}

/** A port nothing listens on right now (the OS picks it; a tiny race with other binders remains). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws `what`). */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** True once `pid` has exited (gone from /proc, or a zombie nobody has reaped yet). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function sshdConfig(dir: string, port: number, hostKeyPath: string, extra: string[]): string {
  return [
    ...extra,
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The temp dir and keys are not laid out the way StrictModes insists on for home dirs.
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PrintMotd no',
    // In-process SFTP: no dependence on where the distribution put sftp-server.
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench-test', '-f', path], { stdio: 'ignore' });
}

async function waitForListen(port: number, child: ChildProcess, log: () => string): Promise<void> {
  let exited = false;
  child.once('exit', () => { exited = true; });
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`sshd exited before listening:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`sshd did not listen on port ${port} within 10 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** All processes below `root` (per-connection sshd processes and the commands they run). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift() as number) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
