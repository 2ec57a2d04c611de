/** Leftover detection shared by the providers that create things on this machine. */
import { pidAlive } from '../../engine/pid-alive.js';

/**
 * Whether the bench process that brought a cluster up still runs: while it does, its cluster is
 * live (perhaps in a concurrent sweep) and must not be destroyed as a leftover. A reused PID errs
 * on the side of keeping the cluster.
 */
export function ownerAlive(pid: number | undefined): boolean {
  return pid !== undefined && pidAlive(pid);
}
