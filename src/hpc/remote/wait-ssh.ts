/**
 * Readiness: sshd answers and presents exactly the host key generated for this VM. A different
 * key is a failure, never accepted.
 */
import { Client } from 'ssh2';
import { readFileSync } from 'node:fs';

export type SshProbe = { kind: 'ready' } | { kind: 'wrong-host-key'; found: string } | { kind: 'not-yet'; error: string };

/** One connection attempt that runs `true`. */
export function probeSsh(address: string, port: number, keyPath: string, hostKey: string, timeoutMs = 5000): Promise<SshProbe> {
  const expected = hostKey.split(' ')[1] ?? '';
  return new Promise((resolve) => {
    const c = new Client();
    let found = '';
    let settled = false;
    const done = (p: SshProbe): void => { if (!settled) { settled = true; c.end(); resolve(p); } };
    c.on('ready', () => {
      c.exec('true', (err, stream) => {
        if (err) return done({ kind: 'not-yet', error: err.message });
        stream.on('close', () => done({ kind: 'ready' })).resume();
      });
    });
    c.on('error', (e) => done(found && found !== expected ? { kind: 'wrong-host-key', found } : { kind: 'not-yet', error: e.message }));
    c.connect({
      host: address, port, username: 'root', privateKey: readFileSync(keyPath), readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => { found = key.toString('base64'); return found === expected; },
    });
  });
}

/** Polls until ready, a wrong key, the deadline, or abort. */
export async function waitForSsh(address: string, port: number, keyPath: string, hostKey: string, deadlineMs: number, signal?: AbortSignal): Promise<SshProbe> {
  let last: SshProbe = { kind: 'not-yet', error: 'no attempt' };
  while (Date.now() < deadlineMs && !signal?.aborted) {
    last = await probeSsh(address, port, keyPath, hostKey);
    if (last.kind !== 'not-yet') return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}
