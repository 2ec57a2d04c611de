/**
 * The SSH transport: one pooled connection per target, opened on first use and shared by
 * every concurrent call, each command on its own channel. Connection setup (host-key pinning,
 * retries) is in connect.ts, one command's life in exec-channel.ts, transfers in
 * sftp-transfer.ts; this module owns the pool, the per-call deadlines and the error mapping.
 */
import { setMaxListeners } from 'node:events';
import type { Client, SFTPWrapper } from 'ssh2';
import type { Cluster, Host } from '../backends/types.js';
import { connectWithRetry, type ConnectSettings, type SshPoolEvent } from './connect.js';
import { runOnChannel } from './exec-channel.js';
import { shellCommand, shellScript } from './quote.js';
import { downloadFile, uploadFile, withSftp } from './sftp-transfer.js';
import { SshError, type ExecOptions, type ExecResult, type SshTarget, type Transport } from './types.js';

export type { SshPoolEvent } from './connect.js';

/** Tuning for `SshPool`; every field has a default suited to freshly booted cluster hosts. */
export interface SshPoolOptions {
  /** Handshake plus login must finish within this (default 20 s). */
  readyTimeoutMs?: number;
  /** Keepalive probe interval on idle connections (default 15 s); 0 turns it off. */
  keepaliveIntervalMs?: number;
  /** Unanswered probes before the connection counts as dead and is dropped (default 3). */
  keepaliveCountMax?: number;
  /** Further connect attempts after a refused, reset or timed-out one (default 5). */
  connectRetries?: number;
  /** First backoff delay, doubled per attempt (default 500 ms)... */
  retryBaseDelayMs?: number;
  /** ...up to this (default 8 s). */
  retryMaxDelayMs?: number;
  /** Channels open at once per connection; OpenSSH refuses more than MaxSessions (default 10). Default 8. */
  maxChannelsPerConnection?: number;
  /** After a timeout or abort, how long the remote process has between TERM and KILL (default 2 s). */
  killGraceMs?: number;
  /** Connection attempts, failures and drops, for logging. */
  onEvent?: (event: SshPoolEvent) => void;
}

interface PooledConnection {
  ready: Promise<Client>;
  slots: Slots;
  /** Resolves once the connection has closed, or never came up. */
  gone: Promise<void>;
}

/**
 * `Transport` over ssh2. Remote exit codes are values; transport trouble rejects with an
 * `SshError`. Private key contents never appear in its errors or events. Remote hosts need a
 * POSIX login shell and `sh`: every command runs as `sh -c <quoted>`, after a one-line PID report
 * on stderr (stripped from the result) that lets a timeout or abort kill the command's group.
 */
export class SshPool implements Transport {
  private readonly connections = new Map<string, PooledConnection>();
  private readonly settings: ConnectSettings;
  private readonly maxChannels: number;
  private readonly killGraceMs: number;
  private readonly closing = new AbortController();

  constructor(options: SshPoolOptions = {}) {
    this.settings = {
      readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      retries: options.connectRetries ?? 5,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 8_000,
      onEvent: options.onEvent ?? (() => undefined),
    };
    this.maxChannels = options.maxChannelsPerConnection ?? 8;
    this.killGraceMs = options.killGraceMs ?? 2_000;
  }

  /** Runs `command` on `target`; see `Transport.exec`. */
  async exec(target: SshTarget, command: string[] | { script: string }, options: ExecOptions = {}): Promise<ExecResult> {
    // argv also goes through `sh -c` so that shell builtins (`command -v`, `cd`) work as commands.
    const line = shellScript(Array.isArray(command) ? shellCommand(command) : command.script);
    const deadline = callDeadline(target.name, options);
    try {
      const { client, release } = await this.channelSlot(target, deadline.signal);
      return await runOnChannel(client, line, {
        host: target.name, signal: deadline.signal, stdin: options.stdin, killGraceMs: this.killGraceMs, onChannelClosed: release,
      });
    } finally {
      deadline.dispose();
    }
  }

  /** Writes `data` to `remotePath` through a temp name and a rename; `mode` defaults to 0644. */
  async upload(target: SshTarget, data: Buffer | string, remotePath: string, mode = 0o644): Promise<void> {
    await this.sftp(target, `upload to ${remotePath}`, (sftp) => uploadFile(sftp, data, remotePath, mode));
  }

  /** Reads the whole of `remotePath`. */
  async download(target: SshTarget, remotePath: string): Promise<Buffer> {
    return this.sftp(target, `download of ${remotePath}`, (sftp) => downloadFile(sftp, remotePath));
  }

  /** Ends every connection (and abandons pending connects); later calls reject. */
  async close(): Promise<void> {
    this.closing.abort();
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map(async (c) => {
      const client = await c.ready.catch(() => undefined);
      client?.end();
      await c.gone;
    }));
  }

  private async sftp<T>(target: SshTarget, what: string, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const { client, release } = await this.channelSlot(target, this.closing.signal);
    try {
      return await withSftp(client, fn);
    } catch (e) {
      if (e instanceof SshError) throw e;
      throw new SshError('ssh-error', target.name, `${what} failed: ${(e as Error).message}`);
    } finally {
      release();
    }
  }

  /** The pooled connection for `target` and a free channel slot on it. */
  private async channelSlot(target: SshTarget, signal: AbortSignal): Promise<{ client: Client; release: () => void }> {
    const conn = this.connection(target);
    const client = await abortable(conn.ready, signal);
    const release = await conn.slots.acquire(signal);
    return { client, release };
  }

  /** Existing entry, or a new one whose connect promise all concurrent callers share. */
  private connection(target: SshTarget): PooledConnection {
    if (this.closing.signal.aborted) throw new SshError('ssh-error', target.name, 'the SSH pool is closed');
    const key = poolKey(target);
    const existing = this.connections.get(key);
    if (existing) return existing;
    let markGone: () => void = () => undefined;
    const gone = new Promise<void>((r) => { markGone = r; });
    const evict = (): void => {
      if (this.connections.get(key) === entry) this.connections.delete(key);
    };
    const ready = connectWithRetry(target, this.settings, this.closing.signal).then((client) => {
      // A dropped connection leaves the pool so the next call reconnects instead of failing on it.
      client.on('close', () => {
        evict();
        markGone();
        this.settings.onEvent({ kind: 'disconnected', host: target.name });
      });
      client.on('error', evict);
      // close() may have run while this connection was being set up.
      if (this.closing.signal.aborted) client.end();
      return client;
    });
    ready.catch(() => {
      evict();
      markGone();
    });
    const entry: PooledConnection = { ready, slots: new Slots(this.maxChannels), gone };
    this.connections.set(key, entry);
    return entry;
  }
}

/**
 * One connection per `user@address:port`. The recorded host key and client key are part of the
 * key too, so a call never rides on a connection that was verified against a different record.
 */
function poolKey(t: SshTarget): string {
  return `${t.user}@${t.address}:${t.port} ${t.hostKey.trim().split(/\s+/)[1] ?? ''} ${t.privateKeyPath}`;
}

/** An abort signal that fires with an `SshError` on the caller's abort (`cancelled`) or at `timeoutMs` (`timed-out`). */
function callDeadline(host: string, options: ExecOptions): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  const onAbort = (): void => ctl.abort(new SshError('cancelled', host, 'command cancelled'));
  // Every concurrent command listens on the caller's one signal (16 hosts sampled at once): that
  // is by design, not the leak Node's listener-count warning looks for.
  if (options.signal) setMaxListeners(0, options.signal);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs === undefined ? undefined
    : setTimeout(() => ctl.abort(new SshError('timed-out', host, `command timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
  return {
    signal: ctl.signal,
    dispose: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** `promise`, or the abort reason if `signal` fires first (the promise itself runs on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Counting semaphore for a connection's channels; waiters leave the queue when their signal aborts. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(this.releaser());
      };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /** A release function that works once, so a double call cannot over-free the semaphore. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/**
 * The transport's view of a provisioned host. Throws if the host has no recorded host key or the
 * cluster no client key: connecting without them would mean trusting whatever answers.
 */
export function sshTarget(host: Host, cluster: Cluster): SshTarget {
  if (!host.hostKey) throw new Error(`host ${host.name} has no recorded host key; it cannot be verified, so it is not reached over SSH`);
  if (!cluster.clientKeyPath) throw new Error(`cluster (${cluster.provider}) has no client key path; its hosts cannot be reached over SSH`);
  return { name: host.name, address: host.address, port: host.port, user: host.user, hostKey: host.hostKey, privateKeyPath: cluster.clientKeyPath };
}
