import { readFileSync } from 'node:fs';

/** True while a process with this pid exists (claims, ledger rows, temp dirs and clusters record their owner's pid). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True while the process runs: exists and is not a zombie. A daemon or VM that exited stays a
 * zombie until its parent reaps it (init, for daemonized ones, which can take a while), and a
 * zombie does nothing more.
 */
export function processRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
