/** Leftover detection shared by the providers that create things on this machine. */

/**
 * Whether the bench process that brought a cluster up still runs: while it does, its cluster is
 * live (perhaps in a concurrent sweep) and must not be destroyed as a leftover. A reused PID errs
 * on the side of keeping the cluster.
 */
export function ownerAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
