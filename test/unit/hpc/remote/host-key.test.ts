import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redact } from '../../../../src/hpc/remote/connect.js';
import { hostKeyAlgorithms, hostKeyFingerprint, parseHostKey } from '../../../../src/hpc/remote/host-key.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-host-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function keygen(type: string): string {
  const path = join(dir, `key-${type}-${n++}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]);
  return path;
}

describe('host key helpers', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'])('fingerprints a %s key exactly as ssh-keygen -l prints it', (type) => {
    const path = keygen(type);
    const line = readFileSync(`${path}.pub`, 'utf8');
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`]).toString('utf8').split(' ')[1];
    expect(hostKeyFingerprint(parseHostKey(line).blob)).toBe(expected);
  });

  it('refuses a recorded key that is not an OpenSSH public key line', () => {
    expect(() => parseHostKey('')).toThrow(/not an OpenSSH public key/);
    expect(() => parseHostKey('ssh-ed25519 not*base64')).toThrow(/not an OpenSSH public key/);
  });

  it('offers the RSA signature algorithms for an ssh-rsa key and the type itself otherwise', () => {
    expect(hostKeyAlgorithms('ssh-rsa')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithms('ssh-ed25519')).toEqual(['ssh-ed25519']);
  });
});

describe('redact', () => {
  it('removes a private key, whole or line by line, from a message', () => {
    const key = readFileSync(keygen('ed25519'));
    const body = key.toString('utf8').split('\n')[1] ?? '';
    expect(body.length).toBeGreaterThan(16);
    const out = redact(`parse error near ${body} and ${key.toString('utf8')}`, key);
    expect(out).not.toContain(body);
    expect(out).toContain('[private key]');
  });
});
