/**
 * Provider `ssh`: existing machines, e.g. a real cluster's login node. Nothing is created or torn
 * down; `up` checks each host is reachable with the host key read from known_hosts (or given in
 * config) and records its real size, and the scheduler already running there is used as it is
 * (`manage_scheduler: false`, the default).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { SshPool } from '../../remote/ssh-pool.js';
import type { SshTarget } from '../../remote/types.js';
import type { BackendContext, Cluster, Host, Provider } from '../types.js';
import type { z } from 'zod';
import type { SshProviderSchema } from './descriptor.js';
import { lookupKnownHosts } from './known-hosts.js';

/** Host key types in order of preference when known_hosts lists several for one host. */
const PREFERRED = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'ssh-rsa'];

/** The `provider` group for ssh as `SshProviderSchema` validated it. */
export type SshProviderConfig = z.infer<typeof SshProviderSchema>;

function readKnownHosts(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The pinned key of each host, or one message per host that has none (all at once). */
export function resolveHostKeys(c: SshProviderConfig): { keys: Map<string, string>; errors: string[] } {
  const file = (c.known_hosts ?? `${homedir()}/.ssh/known_hosts`).replace(/^~(?=\/)/, homedir());
  const text = readKnownHosts(file);
  const port = c.port ?? 22;
  const keys = new Map<string, string>();
  const errors: string[] = [];
  for (const host of c.hosts) {
    const given = c.host_keys?.[host];
    const found = lookupKnownHosts(text, host, port, file);
    const candidates = given ? [given.trim()] : found.keys.map((k) => k.line);
    const usable = candidates.filter((k) => !found.revoked.includes(k.split(/\s+/).slice(0, 2).join(' ')));
    usable.sort((a, b) => rank(a) - rank(b));
    const pick = usable[0];
    if (pick) keys.set(host, pick);
    else if (candidates.length) errors.push(`${host}: every recorded host key is marked @revoked in ${file}`);
    else errors.push(`${host}: no host key recorded for ${port === 22 ? host : `[${host}]:${port}`} in ${file} nor in provider.host_keys; verify the host's key out of band and add it (e.g. from ssh-keyscan on a trusted network)`);
  }
  return { keys, errors };
}

function rank(line: string): number {
  const i = PREFERRED.indexOf(line.split(/\s+/)[0] ?? '');
  return i < 0 ? PREFERRED.length : i;
}

async function probe(pool: SshPool, target: SshTarget, signal: AbortSignal): Promise<{ cpus: number; memoryMiB: number; hostname: string }> {
  const r = await pool.exec(target, { script: "hostname; nproc; awk '/^MemTotal:/ {print int($2/1024)}' /proc/meminfo" }, { signal, timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${target.name}: probing the host failed (exit ${r.code}): ${r.stderr.trim()}`);
  const [hostname = target.name, cpus = '0', mem = '0'] = r.stdout.trim().split('\n');
  return { hostname, cpus: Number(cpus), memoryMiB: Number(mem) };
}

async function up(_topology: unknown, c: SshProviderConfig, ctx: BackendContext): Promise<Cluster> {
  const { keys, errors } = resolveHostKeys(c);
  if (errors.length) throw new Error(`provider ssh:\n  ${errors.join('\n  ')}`);
  const port = c.port ?? 22;
  const key = c.key.replace(/^~(?=\/)/, homedir());
  const pool = new SshPool({ connectRetries: 2 });
  try {
    const hosts: Host[] = [];
    for (const [i, address] of c.hosts.entries()) {
      const target: SshTarget = { name: address, address, port, user: c.user, hostKey: keys.get(address) as string, privateKeyPath: key };
      const real = await probe(pool, target, ctx.signal);
      ctx.log.info(`ssh: ${address} reachable (hostname ${real.hostname}, ${real.cpus} CPUs, ${real.memoryMiB} MiB)`);
      hosts.push({
        name: address, role: i === 0 ? 'head' : 'compute', address, port, user: c.user,
        cpus: real.cpus, memoryMiB: real.memoryMiB, gpus: 0, hostKey: target.hostKey,
      });
    }
    return { provider: 'ssh', hosts, clientKeyPath: key, data: { manageScheduler: c.manage_scheduler === true } };
  } finally {
    await pool.close();
  }
}

/** Existing hosts: nothing was created, so nothing is destroyed. */
async function down(cluster: Cluster, ctx: BackendContext): Promise<void> {
  ctx.log.info(`ssh: leaving ${cluster.hosts.map((h) => h.name).join(', ')} as they were`);
}

export const sshProvider: Provider<SshProviderConfig> = { kind: 'ssh', up, down };
