import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, makeProject, PRELUDE, waitFor, type TempProject } from './engine-project.js';

const BF = `${PRELUDE}
import { existsSync, rmSync } from 'node:fs';
export default {
  tasks: [
    { kind: 'resource', name: 'cluster:up', version: 1,
      async up(ctx) {
        const token = 'tok-' + process.pid;
        writeFileSync(join(ctx.projectRoot, 'live-' + token), '');
        mark(ctx, 'up ' + token);
        return { token };
      },
      async down(h: { token: string }, ctx) {
        rmSync(join(ctx.projectRoot, 'live-' + h.token), { force: true });
        mark(ctx, 'down ' + h.token);
      } },
    { kind: 'artifact', name: 'job:one', version: 1, needs: ['cluster:up'], inputs: ['one.txt'],
      async run(ctx) {
        mark(ctx, 'run one ' + (ctx.deps['cluster:up']![0]!.handle as { token: string }).token);
        if (existsSync(join(ctx.projectRoot, 'hang'))) await sleep(60_000, undefined, { signal: ctx.signal });
        writeFileSync(join(ctx.outDir, 'x'), readFileSync(join(ctx.projectRoot, 'one.txt')));
      } },
    { kind: 'artifact', name: 'job:two', version: 1, needs: ['cluster:up'],
      async run(ctx) { mark(ctx, 'run two'); writeFileSync(join(ctx.outDir, 'y'), '2'); } },
    { kind: 'artifact', name: 'job:after', version: 1, needs: ['job:one', 'job:two'],
      async run(ctx) { mark(ctx, 'run after'); writeFileSync(join(ctx.outDir, 'z'), '3'); } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

const kinds = (): string[] => p.events().filter((e) => ['resource-up', 'resource-down', 'task-finished'].includes(e.kind)).map((e) => `${e.kind} ${e.taskId}`);

describe('resource lifecycle', () => {
  it('comes up once for its dependents and goes down after the last one, before unrelated later tasks', () => {
    p = makeProject(BF);
    p.write('one.txt', '1');
    expect(p.run(['-j', '1']).code).toBe(0);
    expect(p.log().filter((l) => l.startsWith('up'))).toHaveLength(1);
    const ev = kinds();
    const down = ev.indexOf('resource-down cluster:up[default-r0]');
    expect(down).toBeGreaterThan(ev.indexOf('task-finished job:one[default-r0]'));
    expect(down).toBeGreaterThan(ev.indexOf('task-finished job:two[default-r0]'));
    expect(down).toBeLessThan(ev.indexOf('task-finished job:after[default-r0]'));
  });

  it('is never brought up when every dependent is cached, and only for the one that reruns', () => {
    p = makeProject(BF);
    p.write('one.txt', '1');
    p.run(['run']);
    p.run(['run']);
    expect(p.log().filter((l) => l.startsWith('up'))).toHaveLength(1);
    p.write('one.txt', '2');
    p.run(['run']);
    expect(p.log().filter((l) => l.startsWith('up'))).toHaveLength(2);
    expect(p.log().filter((l) => l === 'run two')).toHaveLength(1);
  });

  it('is torn down on SIGINT', async () => {
    p = makeProject(BF);
    p.write('one.txt', '1');
    p.write('hang', '');
    const child = p.spawn(['job:one']);
    await waitFor(() => p.log().some((l) => l.startsWith('run one')), 'dependent running');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    expect(p.log().some((l) => l.startsWith('down'))).toBe(true);
  }, 30_000);

  it('after kill -9 the next run tears down what the ledger says is still up', async () => {
    p = makeProject(BF);
    p.write('one.txt', '1');
    p.write('hang', '');
    const child = p.spawn(['job:one']);
    await waitFor(() => p.log().some((l) => l.startsWith('run one')), 'dependent running');
    const token = (p.log().find((l) => l.startsWith('up')) as string).split(' ')[1] as string;
    child.kill('SIGKILL');
    await exited(child);
    expect(existsSync(join(p.dir, `live-${token}`))).toBe(true);
    rmSync(join(p.dir, 'hang'));
    expect(p.run(['job:two']).code).toBe(0);
    expect(p.log()).toContain(`down ${token}`);
    expect(existsSync(join(p.dir, `live-${token}`))).toBe(false);
  }, 30_000);

  it('bench gc tears down ledger leftovers and what a resource task finds itself after a kill -9 during up', async () => {
    p = makeProject(`${PRELUDE}
import { readdirSync, rmSync } from 'node:fs';
export default {
  tasks: [
    { kind: 'resource', name: 'cluster:up', version: 1,
      async up(ctx) {
        writeFileSync(join(ctx.projectRoot, 'half-' + process.pid), '');
        mark(ctx, 'half-up');
        await sleep(60_000, undefined, { signal: ctx.signal });
        return {};
      },
      async down() {},
      async cleanupLeftovers(ctx) {
        for (const f of readdirSync(ctx.projectRoot).filter((n) => n.startsWith('half-'))) {
          const pid = Number(f.slice(5));
          try { process.kill(pid, 0); continue; } catch { /* owner gone */ }
          rmSync(join(ctx.projectRoot, f));
          ctx.log.info('cleaned ' + f);
        }
      } },
    { kind: 'artifact', name: 'job:one', version: 1, needs: ['cluster:up'], async run(ctx) { writeFileSync(join(ctx.outDir, 'x'), '1'); } },
  ],
} satisfies Benchfile;
`);
    const child = p.spawn(['job:one']);
    await waitFor(() => p.log().includes('half-up'), 'resource coming up');
    child.kill('SIGKILL');
    await exited(child);
    const half = `half-${child.pid}`;
    expect(existsSync(join(p.dir, half))).toBe(true);
    const r = p.run(['gc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`cleaned ${half}`);
    expect(existsSync(join(p.dir, half))).toBe(false);
  }, 30_000);

  it('exclusive locks: dependents of a locked resource run one at a time, and instances sharing a lock are never up together', () => {
    p = makeProject(`${PRELUDE}
import { existsSync, rmSync } from 'node:fs';
const job = (name: string, res: string) => ({
  kind: 'artifact' as const, name, version: 1, needs: [res],
  async run(ctx: TaskContext) {
    const busy = join(ctx.projectRoot, 'busy');
    mark(ctx, (existsSync(busy) ? 'OVERLAP ' : 'start ') + name);
    writeFileSync(busy, name);
    await sleep(150);
    rmSync(busy);
    writeFileSync(join(ctx.outDir, 'x'), name);
  },
});
const res = (name: string) => ({
  kind: 'resource' as const, name, version: 1, exclusive: () => 'subnet-1',
  async up(ctx: TaskContext) { mark(ctx, 'up ' + name); return {}; },
  async down(_h: unknown, ctx: TaskContext) { mark(ctx, 'down ' + name); },
});
export default {
  tasks: [res('cluster:a'), res('cluster:b'), job('a:one', 'cluster:a'), job('a:two', 'cluster:a'), job('b:one', 'cluster:b'), job('b:two', 'cluster:b')],
} satisfies Benchfile;
`);
    expect(p.run(['-j', '4']).code).toBe(0);
    const log = p.log();
    expect(log.filter((l) => l.startsWith('OVERLAP'))).toEqual([]);
    expect(log.filter((l) => l.startsWith('start'))).toHaveLength(4);
    // Whichever cluster comes up first is down before the other comes up.
    const ups = log.filter((l) => /^(up|down) /.test(l));
    expect(ups).toHaveLength(4);
    expect(ups[0]?.slice(3)).toBe(ups[1]?.slice(5));
    expect(ups[2]?.slice(3)).toBe(ups[3]?.slice(5));
  }, 30_000);
});
