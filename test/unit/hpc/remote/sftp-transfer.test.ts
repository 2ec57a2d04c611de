import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SshPool } from '../../../../src/hpc/remote/ssh-pool.js';
import { sshdSkipReason, startSshd, type Sshd } from '../../../support/sshd.js';

const skip = sshdSkipReason();

describe.skipIf(skip !== undefined)(`SshPool upload and download against a real sshd${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: Sshd;
  let pool: SshPool;
  let n = 0;
  /** A fresh empty directory on the "remote" side (sshd is local, so the test can look inside). */
  const remoteDir = (): string => {
    const dir = join(sshd.dir, `files-${n++}`);
    mkdirSync(dir);
    return dir;
  };

  beforeAll(async () => { sshd = await startSshd(); });
  afterEach(async () => { await pool?.close(); });
  afterAll(async () => { await sshd?.stop(); });

  it('uploads with the given mode, leaves no temp file, and downloads the same bytes', async () => {
    pool = new SshPool();
    const dir = remoteDir();
    const path = join(dir, 'job.sh');
    await pool.upload(sshd.target, '#!/bin/sh\necho hi\n', path, 0o750);
    expect(readFileSync(path, 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(path).mode & 0o777).toBe(0o750);
    expect(readdirSync(dir)).toEqual(['job.sh']);
    expect((await pool.download(sshd.target, path)).toString('utf8')).toBe('#!/bin/sh\necho hi\n');
    expect((await pool.exec(sshd.target, [path])).stdout).toBe('hi\n');
  });

  it('replaces an existing file with binary content and the new mode; the default mode is 0644', async () => {
    pool = new SshPool();
    const dir = remoteDir();
    const path = join(dir, 'blob');
    writeFileSync(path, 'old contents that are longer than nothing', { mode: 0o666 });
    const bytes = Buffer.from(Array.from({ length: 256 * 40 }, (_, i) => i % 256));
    await pool.upload(sshd.target, bytes, path, 0o600);
    expect(readFileSync(path)).toEqual(bytes);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await pool.download(sshd.target, path)).toEqual(bytes);
    const plain = join(dir, 'plain.txt');
    await pool.upload(sshd.target, 'x', plain);
    expect(statSync(plain).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).sort()).toEqual(['blob', 'plain.txt']);
  });

  it('rejects with ssh-error for a missing directory or file, leaving nothing behind', async () => {
    pool = new SshPool();
    const dir = remoteDir();
    await expect(pool.upload(sshd.target, 'x', join(dir, 'missing', 'f'), 0o644)).rejects.toMatchObject({ kind: 'ssh-error', message: /upload to/ });
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    await expect(pool.download(sshd.target, join(dir, 'nope'))).rejects.toMatchObject({ kind: 'ssh-error', message: /download of/ });
  });
});
