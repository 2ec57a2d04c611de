/**
 * Provider `ssh` against a real sshd on loopback: the host key comes from a known_hosts file,
 * a host with no recorded key or a different key is refused, and nothing is torn down.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshProvider } from '../../src/hpc/backends/ssh/ssh-provider.js';
import { createSshd, sshdSkipReason, type Sshd } from '../support/sshd.js';

const skip = sshdSkipReason();
const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const ctx = () => ({ signal: new AbortController().signal, log, workDir: tmpdir() });

describe.skipIf(skip)(`provider ssh${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: Sshd;
  let dir: string;
  beforeAll(async () => {
    sshd = await createSshd();
    await sshd.start();
    dir = mkdtempSync(join(tmpdir(), 'bench-sshprov-'));
  });
  afterAll(async () => {
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const config = (knownHosts: string) => ({
    kind: 'ssh' as const, hosts: ['127.0.0.1'], user: sshd.target.user, key: sshd.target.privateKeyPath, port: sshd.port, known_hosts: knownHosts,
  });

  it('reaches the host with the key from known_hosts and records its real size', async () => {
    const kh = join(dir, 'known_hosts');
    writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyLine}\n`);
    const cluster = await sshProvider.up({} as never, config(kh), ctx());
    expect(cluster.provider).toBe('ssh');
    expect(cluster.hosts).toHaveLength(1);
    const h = cluster.hosts[0]!;
    expect(h.hostKey?.split(' ').slice(0, 2)).toEqual(sshd.hostKeyLine.split(' ').slice(0, 2));
    expect(h.cpus).toBeGreaterThan(0);
    expect(h.memoryMiB).toBeGreaterThan(0);
    await sshProvider.down(cluster, ctx());
  });

  it('refuses a host whose key is not recorded, naming the file and what to do', async () => {
    const kh = join(dir, 'empty_known_hosts');
    writeFileSync(kh, `127.0.0.1 ${sshd.hostKeyLine}\n`);
    await expect(sshProvider.up({} as never, config(kh), ctx())).rejects.toThrow(/no host key recorded for \[127\.0\.0\.1\]:\d+ in .*empty_known_hosts/);
  });

  it('refuses a host that presents a different key than the one recorded', async () => {
    const kh = join(dir, 'wrong_known_hosts');
    writeFileSync(kh, `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`);
    await expect(sshProvider.up({} as never, config(kh), ctx())).rejects.toThrow(/host key/i);
  });
});
