import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SharedFiles } from '../../../../src/hpc/executor/job-files.js';
import { JobQueue, type JobEnd } from '../../../../src/hpc/executor/job-queue.js';
import type { Remote } from '../../../../src/hpc/remote/remote.js';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A head that answers sbatch only when the test releases it, so the test decides what arrives
 * while a submission is under way. Time is faked: the queue's window and poll timers advance
 * only when the test says so.
 */
function slowHead() {
  const arrays: number[] = [];
  const release: (() => void)[] = [];
  const remote = {
    head: { name: 'head', role: 'head' },
    exec: (_h: unknown, argv: string[]) => {
      if (argv[0] !== 'sbatch') return Promise.resolve({ code: 0, stdout: '', stderr: '' });
      const size = Number(/--array=0-(\d+)/.exec(argv.join(' '))?.[1]) + 1;
      arrays.push(size);
      const id = arrays.length;
      return new Promise((ok) => release.push(() => ok({ code: 0, stdout: `${id}\n`, stderr: '' })));
    },
  } as unknown as Remote;
  return { remote, arrays, release };
}

describe('job queue batching', () => {
  it('gathers tasks that become ready while an sbatch is under way into the next array', async () => {
    vi.useFakeTimers();
    const root = mkdtempSync(join(tmpdir(), 'bench-jobqueue-'));
    dirs.push(root);
    const head = slowHead();
    const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
    const q = new JobQueue({ remote: head.remote, files: new SharedFiles(root), bench: ['node', 'bench.js'], batchDir: join(root, 'batches'), arrayMax: 100, arrayWindowMs: 10, log });
    const signal = new AbortController().signal;
    const job = (name: string): { dir: string; end: Promise<JobEnd> } => {
      const dir = join(root, name);
      mkdirSync(dir);
      return { dir, end: q.submit({ dir, digest: `${name}`.padEnd(16, '0'), cpus: 1, memoryMiB: undefined, minutes: undefined }, signal) };
    };

    const first = job('a');
    await vi.advanceTimersByTimeAsync(20);
    expect(head.arrays).toEqual([1]);
    // Each arrives after its own window has passed: without the wait they would be one sbatch each.
    const later = [job('b')];
    await vi.advanceTimersByTimeAsync(50);
    later.push(job('c'));
    await vi.advanceTimersByTimeAsync(50);
    later.push(job('d'));
    await vi.advanceTimersByTimeAsync(50);
    expect(head.arrays).toEqual([1]);

    head.release.shift()?.();
    await vi.advanceTimersByTimeAsync(20);
    expect(head.arrays).toEqual([1, 3]);
    head.release.shift()?.();
    await vi.advanceTimersByTimeAsync(0);

    for (const j of [first, ...later]) writeFileSync(join(j.dir, 'exit'), '0 c1\n');
    await vi.advanceTimersByTimeAsync(500);
    const ends = await Promise.all([first, ...later].map((j) => j.end));
    expect(ends.map((e) => (e.kind === 'exited' ? e.slurmId : e.kind))).toEqual(['1_0', '2_0', '2_1', '2_2']);
    await q.close();
  });
});
