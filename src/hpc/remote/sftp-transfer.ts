/**
 * File transfer over SFTP. An upload never leaves a half-written file under the real name: it
 * writes a temp sibling, sets the mode, then renames over the target (atomic on one filesystem).
 */
import { randomBytes } from 'node:crypto';
import type { Client, SFTPWrapper } from 'ssh2';

/** Opens an SFTP session on `client`, runs `fn`, and ends the session whatever happens. */
export async function withSftp<T>(client: Client, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
    try {
      client.sftp((err, s) => (err ? reject(err) : resolve(s)));
    } catch (e) {
      reject(e as Error);
    }
  });
  try {
    return await fn(sftp);
  } finally {
    sftp.end();
  }
}

/** Writes `data` to `remotePath` with `mode` via `<remotePath>.tmp-<random>` and a rename. */
export async function uploadFile(sftp: SFTPWrapper, data: Buffer | string, remotePath: string, mode: number): Promise<void> {
  const tmp = `${remotePath}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await call((cb) => sftp.writeFile(tmp, data, { mode }, cb));
    // The mode given at open is filtered by the server's umask; set it explicitly.
    await call((cb) => sftp.chmod(tmp, mode, cb));
    await renameOver(sftp, tmp, remotePath);
  } catch (e) {
    await call((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
    throw e;
  }
}

/** Reads the whole of `remotePath`. */
export function downloadFile(sftp: SFTPWrapper, remotePath: string): Promise<Buffer> {
  return new Promise((resolve, reject) => sftp.readFile(remotePath, (err, data) => (err ? reject(err) : resolve(data))));
}

/**
 * Plain SFTP v3 rename fails when the target exists, so use OpenSSH's posix-rename extension
 * (replaces atomically); servers without it get unlink + rename, which has a short window with
 * no file at all but never a partial one.
 */
async function renameOver(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  try {
    await call((cb) => sftp.ext_openssh_rename(from, to, cb));
    return;
  } catch (e) {
    if (!/does not support/i.test((e as Error).message)) throw e;
  }
  await call((cb) => sftp.unlink(to, cb)).catch(() => undefined);
  await call((cb) => sftp.rename(from, to, cb));
}

function call(start: (cb: (err?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => start((err) => (err ? reject(err) : resolve())));
}
