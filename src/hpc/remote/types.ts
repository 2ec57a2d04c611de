/**
 * The SSH transport's contract, shared by the providers (netns, libvirt, ssh) and the real
 * schedulers. Remote exit codes are values; only transport trouble (unreachable host, changed
 * host key, timeout, abort) rejects, with an `SshError` whose `kind` says which.
 */

/** One host as the transport reaches it. */
export interface SshTarget {
  /** Host name, used in messages only. */
  name: string;
  address: string;
  port: number;
  user: string;
  /**
   * The host's public key as recorded at provision time, OpenSSH form (`ssh-ed25519 AAAA...`).
   * Every connection checks it; a different key is refused with kind `host-key-changed`.
   */
  hostKey: string;
  /** Private key file the host accepts. Its contents never appear in logs or errors. */
  privateKeyPath: string;
}

export interface ExecOptions {
  /**
   * Reject with kind `timed-out` after this long (counted from the call, so it includes connecting)
   * and kill the remote command's process group: TERM, then KILL after a grace period.
   */
  timeoutMs?: number;
  /** Abort rejects with kind `cancelled` and kills the remote process group as for `timeoutMs`. */
  signal?: AbortSignal;
  /** Written to the command's standard input, then closed. */
  stdin?: string | Buffer;
}

/** A finished remote command: a non-zero `code` is an ordinary result, not an error. */
export interface ExecResult {
  /** Exit status, or null when the command died of a signal. */
  code: number | null;
  /** The signal that ended the command, as ssh2 names it (`SIGTERM`), when `code` is null. */
  signal?: string;
  stdout: string;
  stderr: string;
}

export type SshErrorKind = 'ssh-error' | 'host-key-changed' | 'auth-failed' | 'timed-out' | 'cancelled';

export class SshError extends Error {
  override name = 'SshError';
  constructor(readonly kind: SshErrorKind, readonly host: string, message: string) {
    super(`${host}: ${message}`);
  }
}

/** What providers and schedulers use to reach hosts; `SshPool` implements it. */
export interface Transport {
  /**
   * Runs `argv` (each element quoted, so values arrive literally) or a `script` given to
   * `sh -c` as one quoted argument.
   */
  exec(target: SshTarget, command: string[] | { script: string }, options?: ExecOptions): Promise<ExecResult>;
  /** Writes `data` to `remotePath` over SFTP (to a temp name, then renamed), with `mode`. */
  upload(target: SshTarget, data: Buffer | string, remotePath: string, mode?: number): Promise<void>;
  download(target: SshTarget, remotePath: string): Promise<Buffer>;
  /** Closes every pooled connection. */
  close(): Promise<void>;
}
