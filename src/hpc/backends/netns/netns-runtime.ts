/**
 * The effects of bringing a netns cluster up: the bridge, one network namespace and veth per
 * host, per-host files (keys, sshd config, the dirs bind-mounted over the schedulers' default
 * paths and over root's home), and each host's sshd started inside its own net, UTS and mount
 * namespaces. Only devices named `bnv<id>*`, the cluster's bridge and `bench-<id>-*` namespaces
 * are touched.
 */
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { subnetInUse, type IpAddrEntry, type IpRouteEntry } from './plan-netns.js';
import { hostPaths, type NetnsHostState, type NetnsState } from './netns-state.js';

/** sshd by absolute path: sshd refuses to start unless exec'd by one (it re-execs itself). */
export const SSHD = '/usr/sbin/sshd';

/**
 * Paths that must differ per host whatever the scheduler: root's home. sshd runs every command
 * through root's login shell, and bash sources ~/.bashrc for sshd commands, so the machine's own
 * dotfiles (a `pyenv init`, say) would cost every command of every host 100+ ms; each host starts
 * with an empty home of its own, as a freshly installed node would. Nothing a host runs reads the
 * machine's /root: sshd's authorized keys are in the state dir. The schedulers' own per-host
 * paths (config, keys, spool, logs) come from their descriptors (`hostState`), through the
 * provider config.
 */
export const OWN_PER_HOST_DIRS = ['/root'];

/** Every dir bind-mounted per host: the schedulers' and the provider's own. */
export function perHostDirs(state: Pick<NetnsState, 'hostState'>): string[] {
  return [...new Set([...(state.hostState?.dirs ?? []), ...OWN_PER_HOST_DIRS])];
}

/** Tools `up` runs; named in the error when one is missing. */
export async function missingTools(): Promise<string[]> {
  const tools = ['ip', 'nsenter', 'unshare', 'ssh-keygen', 'hostname', 'mount'];
  const r = await execa('sh', ['-c', `for t in ${tools.join(' ')}; do command -v "$t" >/dev/null || echo "$t"; done`], { reject: false });
  const missing = r.stdout.split('\n').filter(Boolean);
  if (!existsSync(SSHD)) missing.push(SSHD);
  return missing;
}

async function ipJson<T>(args: string[]): Promise<T[]> {
  const r = await execa('ip', ['-j', ...args], { reject: false });
  if (r.exitCode !== 0) throw new Error(`ip -j ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout || '[]') as T[];
}

/** Throws when the subnet overlaps an address or route here: two clusters on one subnet would route SSH to the wrong hosts. */
export async function ensureSubnetFree(subnet: string): Promise<void> {
  const why = subnetInUse(subnet, await ipJson<IpAddrEntry>(['addr']), await ipJson<IpRouteEntry>(['route']));
  if (why) throw new Error(`netns provider: subnet ${subnet} is already in use on this machine (${why}); another cluster may be up — set provider.subnet to a free subnet or tear that cluster down`);
}

async function ipBatch(lines: string[], netns?: string): Promise<void> {
  const args = [...(netns ? ['-n', netns] : []), '-batch', '-'];
  const r = await execa('ip', args, { input: `${lines.join('\n')}\n`, reject: false });
  if (r.exitCode !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr.trim()}\n${lines.join('\n')}`);
}

/** The bridge with the machine's address on it, so the machine reaches every host's sshd. */
export async function createBridge(state: NetnsState): Promise<void> {
  await ipBatch([`link add ${state.bridge} type bridge`, `addr add ${state.hostCidr} dev ${state.bridge}`, `link set ${state.bridge} up`]);
}

/**
 * All namespaces and veths in one `ip -batch`: one process instead of three per host, and no
 * race between concurrent `ip netns add` setting up /run/netns on first use.
 */
export async function createHostLinks(state: NetnsState): Promise<void> {
  await ipBatch(state.hosts.flatMap((h) => [
    `netns add ${h.netns}`,
    `link add ${h.veth} type veth peer name eth0 netns ${h.netns}`,
    `link set ${h.veth} master ${state.bridge} up`,
  ]));
  await Promise.all(state.hosts.map((h) => ipBatch([`addr add ${h.address}/${state.prefix} dev eth0`, 'link set eth0 up', 'link set lo up'], h.netns)));
}

/** An ed25519 key pair; returns the public key line (`ssh-ed25519 AAAA... comment`). */
export async function keygen(path: string, comment: string): Promise<string> {
  const r = await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { reject: false });
  if (r.exitCode !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return (await readFile(`${path}.pub`, 'utf8')).trim();
}

/** Single-quotes for sh. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function sshdConfig(h: NetnsHostState, authorizedKeys: string): string {
  return [
    `# sshd of host ${h.name}; runs inside the host's namespaces.`,
    'Port 22', 'AddressFamily inet',
    `HostKey "${hostPaths(h).hostKey}"`, `AuthorizedKeysFile "${authorizedKeys}"`,
    'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    // PAM would add a login session per connection for nothing; keys are all these hosts use.
    'UsePAM no',
    // The keys live under the state dir, whose owners and modes sshd's checks would reject.
    'StrictModes no',
    'PidFile none', 'UseDNS no', 'PrintMotd no', 'PrintLastLog no',
    // Schedulers open many sessions at once (one per daemon start, file copies in parallel).
    'MaxStartups 256', 'MaxSessions 256',
    'Subsystem sftp internal-sftp', '',
  ].join('\n');
}

/** A dir for the host with the owner and mode of the machine's own (munged checks both). */
async function makeLikeOriginal(dir: string, original: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const st = existsSync(original) ? statSync(original) : undefined;
  await chown(dir, st?.uid ?? 0, st?.gid ?? 0);
  await chmod(dir, (st?.mode ?? 0o755) & 0o7777);
}

/** Writes the host's key, sshd config and empty per-host dirs; returns its public key line. */
export async function prepareHostFiles(h: NetnsHostState, authorizedKeys: string, dirs: readonly string[]): Promise<string> {
  const p = hostPaths(h);
  await mkdir(join(h.dir, 'ssh'), { recursive: true });
  await Promise.all(dirs.map((d) => makeLikeOriginal(join(p.root, d), d)));
  await writeFile(p.sshdConfig, sshdConfig(h, authorizedKeys));
  const [type, key] = (await keygen(p.hostKey, `root@${h.name}`)).split(' ');
  return `${type} ${key}`;
}

/** The shell run inside the new namespaces before it becomes sshd. */
function hostScript(h: NetnsHostState, hostsFile: string, state: Pick<NetnsState, 'hostState'>): string {
  const root = hostPaths(h).root;
  const runDirs = state.hostState?.runDirs ?? [];
  return [
    'set -e',
    `hostname ${q(h.name)}`,
    // A private /run: each host's daemon sockets (munged's), pid files and sshd's privsep dir.
    'mount -t tmpfs -o mode=0755 bench-run /run',
    `mkdir -p /run/sshd /run/lock${runDirs.map((d) => ` ${q(d.path)}`).join('')}`,
    'chmod 1777 /run/lock',
    // The owner may not exist on this machine when the scheduler's packages are missing.
    ...runDirs.filter((d) => d.owner).map((d) => `chown ${q(d.owner ?? '')} ${q(d.path)} 2>/dev/null || true`),
    // mkdir of a missing mount point reaches the shared filesystem; these are the packages' own paths.
    ...perHostDirs(state).map((d) => `mkdir -p ${q(d)} && mount --bind ${q(join(root, d))} ${q(d)}`),
    // Host names resolve to the cluster's addresses, as SLURM expects of its nodes.
    `mount --bind ${q(hostsFile)} /etc/hosts`,
    `exec ${SSHD} -D -e -f ${q(hostPaths(h).sshdConfig)}`,
  ].join('\n');
}

/** A started host: its PID and a promise of its exit status (while this process watches). */
export interface StartedHost { pid: number; exited: Promise<number | null> }

/**
 * Starts the host's long-lived process. `ip netns exec` is not used: it remounts /sys, which
 * hides /sys/fs/cgroup and makes slurmd die. nsenter and unshare exec without forking, so the
 * PID is the sshd's, and every SSH session inherits the host's net, UTS and mount namespaces.
 * Detached and with its output in a file, so it outlives this process and its terminal's signals.
 */
export function startHost(h: NetnsHostState, hostsFile: string, state: Pick<NetnsState, 'hostState'>): Promise<StartedHost> {
  const log = openSync(hostPaths(h).log, 'a');
  const child = spawn('nsenter', [`--net=/run/netns/${h.netns}`, 'unshare', '--uts', '--mount', '--propagation', 'private', 'sh', '-c', hostScript(h, hostsFile, state)],
    { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve({ pid: child.pid ?? 0, exited }));
    child.once('error', (e) => reject(new Error(`cannot start nsenter for ${h.name}: ${e.message}`)));
  });
}

/**
 * Resolves once the host's sshd says it listens (or at the deadline or abort). Probing before
 * that only earns a refused connection and the SSH probe's retry pause, most of a small `up`.
 */
export async function waitListening(h: NetnsHostState, deadline: number, signal: AbortSignal): Promise<void> {
  while (Date.now() < deadline && !signal.aborted) {
    try {
      if ((await readFile(hostPaths(h).log, 'utf8')).includes('Server listening on')) return;
    } catch { /* not written yet */ }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Last lines of a host's sshd output, for errors. */
export async function sshdLog(h: NetnsHostState, lines = 20): Promise<string> {
  try {
    const text = (await readFile(hostPaths(h).log, 'utf8')).trim();
    return text ? text.split('\n').slice(-lines).join('\n') : '(none)';
  } catch {
    return '(none: no log file)';
  }
}
