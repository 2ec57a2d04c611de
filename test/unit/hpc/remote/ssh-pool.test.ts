import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, Host } from '../../../../src/hpc/backends/types.js';
import { SshPool, sshTarget, type SshPoolEvent } from '../../../../src/hpc/remote/ssh-pool.js';
import { sshdSkipReason, startSshd, waitUntil, type Sshd } from '../../../support/sshd.js';

const skip = sshdSkipReason();

describe.skipIf(skip !== undefined)(`SshPool against a real sshd${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: Sshd;
  const pools: SshPool[] = [];
  const newPool = (events?: SshPoolEvent[]): SshPool => {
    const pool = new SshPool(events ? { onEvent: (e) => events.push(e) } : {});
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => { sshd = await startSshd(); });
  afterEach(async () => { await Promise.all(pools.splice(0).map((p) => p.close())); });
  afterAll(async () => { await sshd?.stop(); });

  it('returns stdout, stderr and the exit code; a non-zero exit is a value, not an error', async () => {
    const pool = newPool();
    const r = await pool.exec(sshd.target, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await pool.exec(sshd.target, ['true'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reports death by a signal as code null with the signal name', async () => {
    const r = await newPool().exec(sshd.target, { script: 'kill -TERM $$' });
    expect(r.code).toBeNull();
    expect(r.signal).toMatch(/TERM$/);
  });

  it('feeds stdin and then closes it, so a command reading stdin finishes', async () => {
    const pool = newPool();
    expect((await pool.exec(sshd.target, ['cat'], { stdin: 'line 1\nline 2' })).stdout).toBe('line 1\nline 2');
    expect(await pool.exec(sshd.target, ['cat'], { timeoutMs: 10_000 })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('delivers hostile argument values literally and runs none of them', async () => {
    const canary = join(sshd.dir, 'canary');
    const victim = join(sshd.dir, 'victim');
    mkdirSync(victim, { recursive: true });
    writeFileSync(join(victim, 'keep'), 'x');
    const args = [
      `; touch ${canary}`, `$(touch ${canary})`, `\`touch ${canary}\``, `' ; touch ${canary}; echo '`, `" ; touch ${canary}; echo "`,
      `a\nb\ntouch ${canary}`, `| touch ${canary}`, `&& touch ${canary}`, `> ${canary}`, `; rm -rf ${victim}`,
      '*', '-n', '--help', '', "it's", '"quoted"', '$HOME', '~', 'A=b', '\\', '!', '#', '{a,b}', 'ünïcødé ✓', ' \t ',
    ];
    const r = await newPool().exec(sshd.target, ['printf', '%s\\0', ...args]);
    expect(r.code).toBe(0);
    expect(Buffer.from(r.stdout, 'utf8')).toEqual(Buffer.from(args.map((a) => `${a}\0`).join(''), 'utf8'));
    expect(r.stderr).toBe('');
    expect(existsSync(canary)).toBe(false);
    expect(existsSync(join(victim, 'keep'))).toBe(true);
  });

  it('runs argv that names a shell builtin', async () => {
    const r = await newPool().exec(sshd.target, ['command', '-v', 'sh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\/sh\n$/);
  });

  it('runs a { script } with quotes, newlines and its own exit status', async () => {
    const script = `for a in 1 "two words"; do printf '%s|' "$a"; done\necho "it's $0" >&2\nexit 4`;
    expect(await newPool().exec(sshd.target, { script })).toEqual({ code: 4, stdout: '1|two words|', stderr: "it's sh\n" });
  });

  it('runs many concurrent commands over one connection (more than sshd MaxSessions allows at once)', async () => {
    const before = sshd.acceptedLogins();
    const pool = newPool();
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => pool.exec(sshd.target, { script: `sleep 0.1; echo ${i}` })));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 25 }, (_, i) => `${i}\n`));
    await waitUntil(() => sshd.acceptedLogins() > before, 5_000, 'the login to appear in the sshd log');
    expect(sshd.acceptedLogins() - before).toBe(1);
  });

  it('evicts a dropped connection: the command on it fails as ssh-error and the next call reconnects', async () => {
    const events: SshPoolEvent[] = [];
    const pool = newPool(events);
    const before = sshd.acceptedLogins();
    const started = join(sshd.dir, 'started');
    const running = pool.exec(sshd.target, { script: `touch ${started}; sleep 30` });
    await waitUntil(() => existsSync(started), 10_000, 'the command to start');
    sshd.dropConnections();
    await expect(running).rejects.toMatchObject({ name: 'SshError', kind: 'ssh-error' });
    await waitUntil(() => events.some((e) => e.kind === 'disconnected'), 10_000, 'the disconnect event');
    expect((await pool.exec(sshd.target, ['echo', 'again'])).stdout).toBe('again\n');
    await waitUntil(() => sshd.acceptedLogins() - before >= 2, 5_000, 'the second login');
    expect(sshd.acceptedLogins() - before).toBe(2);
  });

  it('rejects calls after close()', async () => {
    const pool = newPool();
    await pool.exec(sshd.target, ['true']);
    await pool.close();
    await expect(pool.exec(sshd.target, ['true'])).rejects.toMatchObject({ kind: 'ssh-error', message: /closed/ });
  });

  it('keeps the recorded host key line intact in the target the test uses', () => {
    expect(readFileSync(`${sshd.target.privateKeyPath}.pub`, 'utf8')).toMatch(/^ssh-ed25519 /);
    expect(sshd.hostKeyLine).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* /);
  });
});

describe('sshTarget', () => {
  const host: Host = { name: 'c1', role: 'compute', address: '10.0.0.5', port: 22, user: 'root', cpus: 1, memoryMiB: 1, gpus: 0, hostKey: 'ssh-ed25519 AAAA' };
  const cluster: Cluster = { provider: 'libvirt', hosts: [host], clientKeyPath: '/k/id', data: {} };

  it('maps a provisioned host and its cluster key to a target', () => {
    expect(sshTarget(host, cluster)).toEqual({ name: 'c1', address: '10.0.0.5', port: 22, user: 'root', hostKey: 'ssh-ed25519 AAAA', privateKeyPath: '/k/id' });
  });

  it('refuses a host without a recorded host key or a cluster without a client key', () => {
    const { hostKey: _unused, ...noKey } = host;
    expect(() => sshTarget(noKey, cluster)).toThrow(/c1 has no recorded host key/);
    const { clientKeyPath: _none, ...noClientKey } = cluster;
    expect(() => sshTarget(host, noClientKey)).toThrow(/no client key path/);
  });
});
