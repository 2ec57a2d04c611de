/**
 * Runs a build tool (mmdebstrap, podman import) as the leader of its own process group, so that
 * cancelling the build ends everything it started: mmdebstrap runs apt, dpkg and maintainer
 * scripts beneath it, and killing mmdebstrap alone (what execa's cancelSignal does) left those
 * running after an interrupted run. TERM first, KILL after a grace period.
 */
import { execa } from 'execa';

const GRACE_MS = 5_000;

export interface ToolResult {
  ok: boolean;
  exitCode: number | undefined;
  /** Interleaved stdout and stderr. */
  out: string;
  cancelled: boolean;
}

export async function runTool(cmd: string, args: string[], signal?: AbortSignal): Promise<ToolResult> {
  const child = execa(cmd, args, { reject: false, all: true, detached: true });
  const group = child.pid;
  let force: NodeJS.Timeout | undefined;
  const cancel = () => {
    signalGroup(group, 'SIGTERM');
    force = setTimeout(() => signalGroup(group, 'SIGKILL'), GRACE_MS);
    force.unref();
  };
  if (signal?.aborted) cancel();
  else signal?.addEventListener('abort', cancel, { once: true });
  try {
    const r = await child;
    return { ok: r.exitCode === 0, exitCode: r.exitCode, out: String(r.all ?? ''), cancelled: signal?.aborted ?? false };
  } finally {
    signal?.removeEventListener('abort', cancel);
    // Cancelled: the leader may be gone while others of its group still run; they go now, not after the grace.
    if (force) { clearTimeout(force); signalGroup(group, 'SIGKILL'); }
  }
}

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try { process.kill(-pid, sig); } catch { /* the group is gone */ }
}
