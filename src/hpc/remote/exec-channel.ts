/**
 * One remote command on one channel of an open connection: collect its output, report its
 * exit, and stop it when `signal` aborts.
 *
 * Stopping: without a pty, closing the channel does not stop the remote process (sshd leaves
 * it running). SSH `signal` requests are refused by OpenSSH for root logins ("session
 * signalling requires privilege separation"), and cluster hosts are reached as root. So the
 * command first reports its PID on stderr — sshd starts every session in a new session
 * (setsid), so that PID is also the process group of everything the command starts — and an
 * abort kills that group with `kill` on a second channel: TERM, then KILL after a grace period,
 * then the channel is closed.
 */
import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel } from 'ssh2';
import { SshError, type ExecResult } from './types.js';

/** How to run one command; `signal` aborts with its `reason` (an `SshError`). */
export interface ChannelRun {
  host: string;
  signal: AbortSignal;
  stdin: string | Buffer | undefined;
  /** Time allowed for each stopping step (PID report, TERM, KILL). */
  killGraceMs: number;
  /** Called exactly once, when the channel is gone (or never opened): frees its slot. */
  onChannelClosed: () => void;
}

/**
 * Runs `shLine` (a command line starting with `sh -c`) on a new exec channel of `client`.
 * Rejects only on abort or transport trouble; a non-zero exit is a result.
 */
export function runOnChannel(client: Client, shLine: string, run: ChannelRun): Promise<ExecResult> {
  const marker = `bench-ssh-pid-${randomBytes(8).toString('hex')}`;
  // `exec` keeps the PID, so the reported PID is the command's own (and its group's).
  const line = `printf '%s %s\\n' ${marker} "$$" >&2; exec ${shLine}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    let running: RunningCommand | undefined;
    const onAbort = (): void => {
      if (!settled) reject(run.signal.reason);
      settled = true;
      if (running) void stopRemote(client, running, run.killGraceMs);
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (r: ExecResult | SshError): void => {
      run.signal.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      if (r instanceof SshError) reject(r);
      else resolve(r);
    };
    const opened = (err: Error | undefined, stream: ClientChannel | undefined): void => {
      if (err || !stream) {
        run.onChannelClosed();
        finish(new SshError('ssh-error', run.host, `cannot start the command: ${err?.message ?? 'no channel'}`));
        return;
      }
      running = collect(stream, marker, run, finish);
      if (run.signal.aborted) void stopRemote(client, running, run.killGraceMs);
    };
    try {
      client.exec(line, opened);
    } catch (e) {
      opened(e as Error, undefined);
    }
  });
}

/** How long a stop waits for the command's PID line before giving up on killing it by PID. */
const PID_WAIT_MS = 60_000;

interface RunningCommand {
  stream: ClientChannel;
  /** Resolves with the remote PID once reported, or undefined if the channel closes first. */
  pid: Promise<number | undefined>;
  closed: Promise<void>;
}

/** Gathers output until the channel closes; then reports the exit, or an error if none came. */
function collect(stream: ClientChannel, marker: string, run: ChannelRun, finish: (r: ExecResult | SshError) => void): RunningCommand {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let exit: { code: number | null; signal: string | undefined } | undefined;
  let reportPid: (pid: number | undefined) => void = () => undefined;
  const pid = new Promise<number | undefined>((r) => { reportPid = r; });
  const closed = new Promise<void>((r) => stream.once('close', () => r()));
  const pidLine = new RegExp(`${marker} (\\d+)\\n`);
  stream.on('data', (b: Buffer) => out.push(b));
  let pidSeen = false;
  stream.stderr.on('data', (b: Buffer) => {
    err.push(b);
    if (pidSeen) return;
    const m = pidLine.exec(Buffer.concat(err).toString('latin1'));
    if (m) {
      pidSeen = true;
      reportPid(Number(m[1]));
    }
  });
  stream.on('exit', (code: number | null, signal?: string) => {
    exit = { code: typeof code === 'number' ? code : null, signal: signal ?? undefined };
  });
  // Errors surface again as 'close' without an exit; the listener keeps them from being unhandled.
  stream.on('error', () => undefined);
  stream.on('close', () => {
    reportPid(undefined);
    run.onChannelClosed();
    if (!exit) {
      finish(new SshError('ssh-error', run.host, 'the connection was lost before the command finished'));
      return;
    }
    // Decoded only at the end so a multi-byte character split across packets stays whole.
    const stderr = withoutMarker(Buffer.concat(err), pidLine).toString('utf8');
    const result: ExecResult = { code: exit.code, stdout: Buffer.concat(out).toString('utf8'), stderr };
    if (exit.signal) result.signal = exit.signal;
    finish(result);
  });
  // Always close stdin: a command that reads it would otherwise wait forever.
  if (run.stdin !== undefined) stream.end(run.stdin);
  else stream.end();
  return { stream, pid, closed };
}

/** `bytes` without the PID report line (latin1 maps bytes 1:1, so string offsets are byte offsets). */
function withoutMarker(bytes: Buffer, pidLine: RegExp): Buffer {
  const m = pidLine.exec(bytes.toString('latin1'));
  if (!m) return bytes;
  return Buffer.concat([bytes.subarray(0, m.index), bytes.subarray(m.index + m[0].length)]);
}

/** TERM the command's process group, KILL it if the channel is still open after the grace period, then close. */
async function stopRemote(client: Client, cmd: RunningCommand, graceMs: number): Promise<void> {
  const closedWithin = (ms: number): Promise<boolean> =>
    Promise.race([cmd.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  // The PID line is the first thing the remote shell writes; on a loaded host it can come later
  // than any grace period, and closing the channel before it would leave the command running.
  // So wait for it (the channel's close reports undefined), bounded only against a dead link.
  const pid = await Promise.race([cmd.pid, new Promise<undefined>((r) => setTimeout(() => r(undefined), Math.max(graceMs, PID_WAIT_MS)).unref())]);
  if (pid !== undefined) {
    await killGroup(client, pid, 'TERM');
    if (!(await closedWithin(graceMs))) await killGroup(client, pid, 'KILL');
  }
  if (!(await closedWithin(pid === undefined ? 0 : graceMs))) cmd.stream.close();
}

/**
 * Sends `sig` to process group `pid` (falling back to the process alone) from a second channel.
 * It bypasses the pool's channel limit: it is short, and a stop must not queue behind the
 * commands it may be stopping. Resolves when the kill has run or could not be started.
 */
function killGroup(client: Client, pid: number, sig: 'TERM' | 'KILL'): Promise<void> {
  const line = `kill -s ${sig} -- -${pid} 2>/dev/null || kill -s ${sig} ${pid} 2>/dev/null; true`;
  return new Promise((resolve) => {
    try {
      client.exec(line, (err, stream) => {
        if (err) return resolve();
        stream.on('close', () => resolve()).on('error', () => undefined).resume();
        stream.stderr.resume();
        stream.end();
      });
    } catch {
      resolve();
    }
  });
}
