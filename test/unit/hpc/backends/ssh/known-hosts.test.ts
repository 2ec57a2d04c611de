import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { knownHostsName, lookupKnownHosts } from '../../../../../src/hpc/backends/ssh/known-hosts.js';

const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7';

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts lookup', () => {
  it('finds plain, listed, wildcard and hashed entries with their line', () => {
    const text = [
      '# comment', '',
      `login.example.org,10.0.0.5 ${ED}`,
      `*.cluster.example ${RSA}`,
      `${hashed('secret.example')} ${ED} comment`,
    ].join('\n');
    expect(lookupKnownHosts(text, '10.0.0.5', 22, 'kh').keys).toEqual([{ line: ED, source: 'kh:3' }]);
    expect(lookupKnownHosts(text, 'n1.cluster.example', 22, 'kh').keys.map((k) => k.line)).toEqual([RSA]);
    expect(lookupKnownHosts(text, 'secret.example', 22, 'kh').keys.map((k) => k.source)).toEqual(['kh:5']);
    expect(lookupKnownHosts(text, 'other.example', 22, 'kh').keys).toEqual([]);
  });

  it('uses [host]:port for other ports, so a port-22 entry does not vouch for port 2222', () => {
    const text = `login ${ED}\n[login]:2222 ${RSA}\n${hashed('[h]:2200')} ${ED}`;
    expect(knownHostsName('login', 2222)).toBe('[login]:2222');
    expect(lookupKnownHosts(text, 'login', 2222, 'kh').keys.map((k) => k.line)).toEqual([RSA]);
    expect(lookupKnownHosts(text, 'login', 22, 'kh').keys.map((k) => k.line)).toEqual([ED]);
    expect(lookupKnownHosts(text, 'h', 2200, 'kh').keys).toHaveLength(1);
    expect(lookupKnownHosts(text, 'h', 22, 'kh').keys).toHaveLength(0);
  });

  it('honours negations and reports @revoked keys apart; @cert-authority lines are not host keys', () => {
    const text = `*.example,!bad.example ${ED}\n@revoked good.example ${RSA}\n@cert-authority *.example ${RSA}`;
    expect(lookupKnownHosts(text, 'bad.example', 22, 'kh').keys).toEqual([]);
    const good = lookupKnownHosts(text, 'good.example', 22, 'kh');
    expect(good.keys.map((k) => k.line)).toEqual([ED]);
    expect(good.revoked).toEqual([RSA]);
  });
});
