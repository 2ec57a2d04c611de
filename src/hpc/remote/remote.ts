/** Commands on the cluster's hosts through the SSH transport, with the run's abort signal. */
import { sshTarget } from './ssh-pool.js';
import type { ExecResult, SshTarget, Transport } from './types.js';
import type { Cluster, Host } from '../backends/types.js';

/** Default per-command deadline: these are short commands on hosts next door. */
const DEFAULT_TIMEOUT_MS = 30_000;

export class RemoteCommandError extends Error {
  override name = 'RemoteCommandError';
  constructor(readonly host: string, readonly what: string, readonly result: ExecResult) {
    const out = `${result.stderr}\n${result.stdout}`.trim();
    super(`${host}: ${what} failed (${result.code === null ? `signal ${result.signal ?? '?'}` : `exit ${result.code}`})${out ? `: ${out}` : ''}`);
  }
}

export class Remote {
  constructor(readonly transport: Transport, readonly cluster: Cluster, readonly signal: AbortSignal) {}

  get head(): Host {
    const h = this.cluster.hosts.find((x) => x.role === 'head');
    if (!h) throw new Error('the cluster has no head host');
    return h;
  }

  get computes(): Host[] {
    return this.cluster.hosts.filter((h) => h.role === 'compute');
  }

  target(host: Host): SshTarget {
    return sshTarget(host, this.cluster);
  }

  /** Runs argv or a script; a non-zero exit is a value. */
  exec(host: Host, command: string[] | { script: string }, timeoutMs = DEFAULT_TIMEOUT_MS, stdin?: string): Promise<ExecResult> {
    return this.transport.exec(this.target(host), command, { timeoutMs, signal: this.signal, ...(stdin !== undefined ? { stdin } : {}) });
  }

  /** Runs and returns stdout; a non-zero exit throws a `RemoteCommandError` saying `what` failed. */
  async must(host: Host, command: string[] | { script: string }, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const r = await this.exec(host, command, timeoutMs);
    if (r.code !== 0) throw new RemoteCommandError(host.name, what, r);
    return r.stdout;
  }

  upload(host: Host, data: Buffer | string, path: string, mode?: number): Promise<void> {
    return this.transport.upload(this.target(host), data, path, mode);
  }

  download(host: Host, path: string): Promise<Buffer> {
    return this.transport.download(this.target(host), path);
  }
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('cancelled'));
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
