import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    const q = new JobQueue({ remote: head.remote, files: new SharedFiles(root), bench: ['node', 'bench.js'], batchDir: join(root, 'batches'), arrayMax: 100, arrayWindowMs: 10, batchMax: 8, log });
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

  it('runs several tasks per array element when more are ready than the cluster has free CPUs', async () => {
    vi.useFakeTimers();
    const root = mkdtempSync(join(tmpdir(), 'bench-jobqueue-'));
    dirs.push(root);
    const sbatch: string[][] = [];
    const remote = {
      head: { name: 'head', role: 'head' },
      exec: (_h: unknown, argv: string[]) => {
        // 4 CPUs in the partition; the queue asks once.
        if (argv[0] === 'sinfo') return Promise.resolve({ code: 0, stdout: '0/4/0/4\n', stderr: '' });
        if (argv[0] === 'sbatch') sbatch.push(argv);
        return Promise.resolve({ code: 0, stdout: `${sbatch.length}\n`, stderr: '' });
      },
    } as unknown as Remote;
    const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
    const q = new JobQueue({ remote, files: new SharedFiles(root), bench: ['node', 'bench.js'], batchDir: join(root, 'batches'), arrayMax: 100, arrayWindowMs: 10, batchMax: 8, log });
    const signal = new AbortController().signal;
    const jobs = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => {
      const dir = join(root, name);
      mkdirSync(dir);
      return { dir, end: q.submit({ dir, digest: name.padEnd(16, '0'), cpus: 1, memoryMiB: undefined, minutes: 3 }, signal) };
    });
    await vi.advanceTimersByTimeAsync(20);
    // 6 tasks on 4 free CPUs: 3 elements of 2, each with the time of the 2 tasks it runs.
    expect(sbatch).toHaveLength(1);
    expect(sbatch[0]).toContain('--array=0-2');
    expect(sbatch[0]).toContain('--time=6');
    const batch = join(root, 'batches', readdirSync(join(root, 'batches'))[0] as string);
    expect(readFileSync(join(batch, 'el-1.list'), 'utf8')).toBe(`${jobs[2]?.dir}\n${jobs[3]?.dir}\n`);
    expect(readFileSync(join(batch, 'dirs'), 'utf8').split('\n').filter(Boolean)).toHaveLength(6);
    // The next array sees 3 elements running: 1 CPU free, so its 3 tasks share one element.
    const more = ['g', 'h', 'i'].map((name) => {
      const dir = join(root, name);
      mkdirSync(dir);
      return { dir, end: q.submit({ dir, digest: name.padEnd(16, '0'), cpus: 1, memoryMiB: undefined, minutes: undefined }, signal) };
    });
    await vi.advanceTimersByTimeAsync(20);
    expect(sbatch[1]).toContain('--array=0-0');
    // Each task ends by its own exit file, not the element's: c ends while d still runs.
    writeFileSync(join(jobs[2]?.dir ?? '', 'exit'), '0 c1\n');
    await vi.advanceTimersByTimeAsync(500);
    expect(await jobs[2]?.end).toEqual({ kind: 'exited', code: 0, host: 'c1', slurmId: '1_1' });
    expect(readFileSync(join(jobs[3]?.dir ?? '', 'slurm-id'), 'utf8')).toBe('1_1');
    for (const j of [...jobs, ...more]) writeFileSync(join(j.dir, 'exit'), '0 c1\n');
    await vi.advanceTimersByTimeAsync(500);
    const ends = await Promise.all([...jobs, ...more].map((j) => j.end));
    expect(ends.map((e) => (e.kind === 'exited' ? e.slurmId : e.kind))).toEqual(['1_0', '1_0', '1_1', '1_1', '1_2', '1_2', '2_0', '2_0', '2_0']);
    expect(q.stats).toMatchObject({ arrays: 2, elements: 4, tasks: 9 });
    await q.close();
  });
});
