import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, makeProject, PRELUDE, waitFor, type TempProject } from './engine-project.js';

const SLOW = `${PRELUDE}
const slow = (i: number) => ({
  kind: 'artifact' as const, name: 'slow:t' + i, version: 1,
  async run(ctx: TaskContext) {
    mark(ctx, 'start ' + i + ' ' + process.pid);
    await sleep(Number(process.env.SLOW_MS ?? 400), undefined, { signal: ctx.signal });
    writeFileSync(join(ctx.outDir, 'out.txt'), 'done ' + i);
    mark(ctx, 'end ' + i);
  },
});
export default {
  tasks: [
    ...[0, 1, 2, 3, 4, 5].map(slow),
    { kind: 'artifact', name: 'slow:all', version: 1, needs: [0, 1, 2, 3, 4, 5].map((i) => 'slow:t' + i),
      async run(ctx) { writeFileSync(join(ctx.outDir, 'n.txt'), String(Object.keys(ctx.deps).length)); } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

const commits = (): Map<string, number> => {
  const m = new Map<string, number>();
  for (const e of p.events()) if (e.kind === 'task-finished' && e.outcome === 'ok') m.set(e.taskId as string, (m.get(e.taskId as string) ?? 0) + 1);
  return m;
};

describe('interruption', () => {
  it('after kill -9 mid-run, a rerun skips completed tasks, reruns interrupted ones, commits each once', async () => {
    p = makeProject(SLOW);
    const child = p.spawn(['-j', '2']);
    await waitFor(() => p.log().filter((l) => l.startsWith('end')).length >= 2 && p.log().filter((l) => l.startsWith('start')).length >= 4, 'two tasks done, two running');
    const endedBefore = p.log().filter((l) => l.startsWith('end')).map((l) => l.split(' ')[1]);
    child.kill('SIGKILL');
    await exited(child);
    const r = p.run(['-j', '2']);
    expect(r.code).toBe(0);
    const starts = p.log().filter((l) => l.startsWith('start')).map((l) => l.split(' ')[1]);
    for (const i of endedBefore) expect(starts.filter((s) => s === i)).toHaveLength(1);
    expect(p.read('results/slow-all/default-r0/n.txt')).toBe('6');
    for (const n of commits().values()) expect(n).toBe(1);
    expect(commits().size).toBe(7);
  }, 60_000);

  it('SIGINT aborts running tasks through their signal and exits 130 without committing them', async () => {
    p = makeProject(SLOW);
    const child = p.spawn(['-j', '2']);
    child.stdout?.resume();
    await waitFor(() => p.log().filter((l) => l.startsWith('start')).length >= 2, 'tasks started');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    expect(p.log().filter((l) => l.startsWith('end'))).toHaveLength(0);
    expect(existsSync(join(p.dir, 'cache', 'store')) ? readdirSync(join(p.dir, 'cache', 'store')) : []).toHaveLength(0);
  }, 60_000);

  it('two bench processes on one cache never run the same task at once, and both finish', async () => {
    p = makeProject(SLOW);
    p.run(['--dry-run']); // bundle the benchfile once so both start at the same moment
    // Slow enough that both processes are surely running while tasks remain, even on a loaded machine.
    const a = p.spawn(['-j', '3'], { SLOW_MS: '1500' });
    await waitFor(() => p.log().length > 0, 'first process started a task');
    const b = p.spawn(['-j', '3'], { SLOW_MS: '1500' });
    a.stdout?.resume();
    b.stdout?.resume();
    const [ca, cb] = await Promise.all([exited(a), exited(b)]);
    expect([ca, cb]).toEqual([0, 0]);
    const starts = p.log().filter((l) => l.startsWith('start')).map((l) => l.split(' ')[1]);
    expect(starts.sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(new Set(p.log().filter((l) => l.startsWith('start')).map((l) => l.split(' ')[2])).size).toBe(2);
  }, 60_000);
});
