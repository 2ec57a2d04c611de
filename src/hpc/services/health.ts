/** The service's health check, run on the head host until it passes, the job stops running, or the deadline. */
import { pause, type Remote } from '../remote/remote.js';
import { jobStatus } from './slurm-job.js';

/** `healthy`, or why not (the job ended, or the check never passed in time with its last output). */
export async function runHealthCheck(remote: Remote, o: { command: string[]; jobId: number; intervalMs: number; deadline: number }): Promise<'healthy' | string> {
  for (let i = 0; ; i++) {
    const r = await remote.exec(remote.head, o.command, 15_000);
    if (r.code === 0) return 'healthy';
    const last = `${r.stderr}${r.stdout}`.trim();
    // A job that died will never pass: say so instead of waiting out the deadline.
    if (i % 4 === 3) {
      const s = await jobStatus(remote, o.jobId);
      if (s?.state !== 'RUNNING') return `SLURM job ${o.jobId} stopped (${s?.state ?? 'gone'}) before its health check passed`;
    }
    if (Date.now() >= o.deadline) return `health check did not pass in time (last attempt: exit ${r.code ?? r.signal ?? '?'}${last ? `, ${last.slice(0, 300)}` : ''})`;
    await pause(o.intervalMs, remote.signal);
  }
}
