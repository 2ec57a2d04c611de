/**
 * One builder per image at a time. Two processes asked for the same missing image (two test
 * files, two bench runs) would otherwise both run mmdebstrap, and the second one's rename into
 * place would delete the first one's image while VMs may be booting from it. The lock is a
 * directory next to the image (made atomically) holding its owner's PID; a lock whose owner is
 * dead is a leftover of a killed build and is taken over.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ownerAlive } from '../backends/owner.js';

export interface BuildLockOptions {
  signal?: AbortSignal;
  /** Told once when another process holds the lock. */
  onWait?: (ownerPid: number | undefined) => void;
  pollMs?: number;
}

/** A lock directory without its PID file yet is being created; after this long it is stale. */
const UNNAMED_STALE_MS = 30_000;

async function ownerOf(lock: string): Promise<{ pid: number | undefined; stale: boolean }> {
  const pid = Number((await readFile(join(lock, 'pid'), 'utf8').catch(() => '')).trim()) || undefined;
  if (pid !== undefined) return { pid, stale: !ownerAlive(pid) };
  const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
  return { pid, stale: age > UNNAMED_STALE_MS };
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('cancelled'));
    const onAbort = (): void => { clearTimeout(t); reject(new Error('cancelled')); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `f` holding the lock of `imageDir`, waiting while another live process holds it. `f`
 * must check again whether the image exists: the previous holder has usually just built it.
 */
export async function withBuildLock<T>(imageDir: string, opts: BuildLockOptions, f: () => Promise<T>): Promise<T> {
  const lock = `${imageDir}.lock`;
  let told = false;
  await mkdir(dirname(lock), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = await ownerOf(lock);
    if (owner.stale) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (!told) opts.onWait?.(owner.pid);
    told = true;
    await pause(opts.pollMs ?? 1000, opts.signal);
  }
  try {
    await writeFile(join(lock, 'pid'), String(process.pid));
    return await f();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
