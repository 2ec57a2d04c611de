/**
 * Opening one verified, authenticated ssh2 connection, and retrying the attempts that may
 * succeed later (refused, reset, timed out: the host is still booting). A changed host key or a
 * refused login is final: retrying would not change the answer and, for the key, would only
 * knock again on a host that may not be ours.
 */
import { readFile } from 'node:fs/promises';
import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { hostKeyAlgorithms, hostKeyFingerprint, parseHostKey } from './host-key.js';
import { SshError, type SshTarget } from './types.js';

/** What `SshPool` reports as it connects; for logs and for tests that wait on an attempt. */
export type SshPoolEvent =
  | { kind: 'connect-failed'; host: string; attempt: number; message: string; retryInMs: number | null }
  | { kind: 'connected'; host: string; attempt: number }
  | { kind: 'disconnected'; host: string };

/** Connection settings, all in milliseconds; `SshPool` fills in defaults. */
export interface ConnectSettings {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Further attempts after the first, for retryable failures only. */
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  onEvent: (event: SshPoolEvent) => void;
}

type Attempt = { ok: true; client: Client } | { ok: false; error: SshError; retryable: boolean };

/** Socket-level failures a later attempt may not hit. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/** Connects, retrying with exponential backoff; rejects with an `SshError` once it gives up or `signal` aborts. */
export async function connectWithRetry(target: SshTarget, settings: ConnectSettings, signal: AbortSignal): Promise<Client> {
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new SshError('ssh-error', target.name, 'connection abandoned: the SSH pool was closed');
    const result = await connectOnce(target, settings);
    if (result.ok) {
      settings.onEvent({ kind: 'connected', host: target.name, attempt });
      return result.client;
    }
    const delay = Math.min(settings.retryMaxDelayMs, settings.retryBaseDelayMs * 2 ** (attempt - 1));
    const retryInMs = result.retryable && attempt <= settings.retries ? delay : null;
    settings.onEvent({ kind: 'connect-failed', host: target.name, attempt, message: result.error.message, retryInMs });
    if (retryInMs === null) throw result.error;
    await sleep(retryInMs, signal);
  }
}

/** One attempt. Never rejects: the outcome says whether a retry could help. */
export async function connectOnce(target: SshTarget, settings: ConnectSettings): Promise<Attempt> {
  let privateKey: Buffer;
  try {
    privateKey = await readFile(target.privateKeyPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, retryable: false, error: new SshError('auth-failed', target.name, `cannot read private key file ${target.privateKeyPath} (${code})`) };
  }
  let recorded: ReturnType<typeof parseHostKey>;
  try {
    recorded = parseHostKey(target.hostKey);
  } catch (e) {
    return { ok: false, retryable: false, error: new SshError('ssh-error', target.name, `recorded host key unusable: ${(e as Error).message}`) };
  }
  return new Promise<Attempt>((resolve) => {
    const client = new Client();
    let presented: Buffer | undefined;
    let settled = false;
    const done = (a: Attempt): void => {
      if (settled) return;
      settled = true;
      if (!a.ok) client.end();
      resolve(a);
    };
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      privateKey,
      readyTimeout: settings.readyTimeoutMs,
      keepaliveInterval: settings.keepaliveIntervalMs,
      keepaliveCountMax: settings.keepaliveCountMax,
      algorithms: { serverHostKey: hostKeyAlgorithms(recorded.type) as ServerHostKeyAlgorithm[] },
      hostVerifier: (key: Buffer) => {
        if (key.equals(recorded.blob)) return true;
        presented = key;
        return false;
      },
    };
    client.on('ready', () => {
      // Commands are small request/response exchanges: with Nagle's algorithm on, each one waited
      // ~40 ms for a delayed ACK (measured: exec of `true` 50 ms median, 3-5 ms without).
      client.setNoDelay(true);
      done({ ok: true, client });
    });
    client.on('error', (err) => done(classify(target, err, recorded.blob, presented, privateKey)));
    client.on('close', () => {
      const closed = Object.assign(new Error('connection closed during the handshake'), { level: 'client-socket' });
      done(classify(target, closed, recorded.blob, presented, privateKey));
    });
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 throws synchronously on a key it cannot parse; its message names the problem, not the key.
      done({ ok: false, retryable: false, error: new SshError('auth-failed', target.name, redact(`private key ${target.privateKeyPath}: ${(e as Error).message}`, privateKey)) });
    }
  });
}

/** Maps an ssh2 connect error to the transport's error kinds. */
function classify(target: SshTarget, err: Error & { level?: string; code?: unknown }, expected: Buffer, presented: Buffer | undefined, privateKey: Buffer): Attempt {
  if (presented) {
    const message = `host key changed for ${where(target)}: expected ${hostKeyFingerprint(expected)}, found ${hostKeyFingerprint(presented)}. ` +
      'Refusing to connect; if the host was rebuilt, record its new key.';
    return { ok: false, retryable: false, error: new SshError('host-key-changed', target.name, message) };
  }
  const detail = redact(err.message, privateKey);
  if (err.level === 'client-authentication') {
    const message = `authentication failed for ${target.user}@${where(target)} with key ${target.privateKeyPath}: ${detail}`;
    return { ok: false, retryable: false, error: new SshError('auth-failed', target.name, message) };
  }
  const retryable = err.level === 'client-socket' || err.level === 'client-timeout' ||
    (typeof err.code === 'string' && RETRYABLE_CODES.has(err.code)) || /before handshake/i.test(err.message);
  return { ok: false, retryable, error: new SshError('ssh-error', target.name, `cannot connect to ${where(target)}: ${detail}`) };
}

function where(target: SshTarget): string {
  return `${target.address}:${target.port}`;
}

/**
 * Removes the private key's text from a message. No ssh2 message is known to echo it; this
 * keeps it that way if one ever does, since errors end up in logs and reports.
 */
export function redact(message: string, privateKey: Buffer): string {
  const text = privateKey.toString('utf8');
  let out = message.split(text.trim()).join('[private key]');
  for (const line of text.split(/\r?\n/)) {
    if (line.length >= 16 && !line.startsWith('-----')) out = out.split(line).join('[private key]');
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
