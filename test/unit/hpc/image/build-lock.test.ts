import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withBuildLock } from '../../../../src/hpc/image/build-lock.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'bench-lock-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('image build lock', () => {
  it('runs two builders of one image one after the other, and the second sees the first one\'s image', async () => {
    const image = join(dir, 'abc');
    const order: string[] = [];
    const waited: (number | undefined)[] = [];
    let release: () => void = () => undefined;
    const first = withBuildLock(image, {}, async () => {
      order.push('first:start');
      await new Promise<void>((r) => { release = r; });
      mkdirSync(image);
      order.push('first:end');
    });
    // Let the first take the lock before the second asks.
    while (!existsSync(join(`${image}.lock`, 'pid'))) await new Promise((r) => setTimeout(r, 5));
    const second = withBuildLock(image, { pollMs: 10, onWait: (pid) => waited.push(pid) }, async () => {
      order.push(`second:start image=${existsSync(image)}`);
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['first:start']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second:start image=true']);
    expect(waited).toEqual([process.pid]);
    expect(existsSync(`${image}.lock`)).toBe(false);
  });

  it('takes over the lock of a builder that died', async () => {
    const image = join(dir, 'abc');
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    mkdirSync(`${image}.lock`);
    writeFileSync(join(`${image}.lock`, 'pid'), dead);
    let ran = false;
    await withBuildLock(image, { pollMs: 10, signal: AbortSignal.timeout(5000) }, async () => { ran = true; });
    expect(ran).toBe(true);
  });

  it('releases the lock when the build throws', async () => {
    const image = join(dir, 'abc');
    await expect(withBuildLock(image, {}, () => Promise.reject(new Error('mmdebstrap failed')))).rejects.toThrow('mmdebstrap failed');
    expect(existsSync(`${image}.lock`)).toBe(false);
  });

  it('stops waiting when aborted', async () => {
    const image = join(dir, 'abc');
    mkdirSync(`${image}.lock`);
    writeFileSync(join(`${image}.lock`, 'pid'), String(process.pid));
    await expect(withBuildLock(image, { pollMs: 10, signal: AbortSignal.timeout(100) }, async () => undefined)).rejects.toThrow('cancelled');
  });
});
