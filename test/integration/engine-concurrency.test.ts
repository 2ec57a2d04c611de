/**
 * Two bench processes on one cache with live resources: an `exclusive` lock holds across the
 * processes (the second waits until the first's resource is down), and each process's ledger
 * row is its own, so one's teardown does not make the other's resource unrecoverable.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, makeProject, PRELUDE, waitFor, type TempProject } from './engine-project.js';

const bf = (exclusive: boolean): string => `${PRELUDE}
import { existsSync, rmSync } from 'node:fs';
export default {
  tasks: [
    { kind: 'resource', name: 'cluster:up', version: 1, ${exclusive ? "exclusive: () => 'subnet-10.80.0.0/24'," : ''}
      async up(ctx) { mark(ctx, 'up ' + process.pid); writeFileSync(join(ctx.projectRoot, 'live-' + process.pid), ''); return { pid: process.pid }; },
      async down(h: { pid: number }, ctx) { rmSync(join(ctx.projectRoot, 'live-' + h.pid), { force: true }); mark(ctx, 'down ' + h.pid); } },
    { kind: 'artifact', name: 'work:run', version: 1, reads: ['scale'], needs: ['cluster:up'],
      async run(ctx) {
        const s = String(ctx.config.scale);
        mark(ctx, 'run ' + s + ' ' + process.pid);
        while (!existsSync(join(ctx.projectRoot, 'go' + s))) await sleep(20, undefined, { signal: ctx.signal });
        writeFileSync(join(ctx.outDir, 'w'), s);
      } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

const live = (): string[] => readdirSync(p.dir).filter((f) => f.startsWith('live-'));
const started = (pid: number | undefined): boolean =>
  readdirSync(join(p.dir, 'cache', 'logs')).some((f) => f.endsWith(`-${pid}.ndjson`));

describe('two processes, one cache, live resources', () => {
  it('an exclusive lock holds across processes: the second brings its resource up only after the first took its down', async () => {
    p = makeProject(bf(true));
    const a = p.spawn(['work:run[scale=1]', 'scale=1,2']);
    const aDone = exited(a);
    await waitFor(() => p.log().some((l) => l.startsWith('run 1 ')), 'first process running');
    const b = p.spawn(['work:run[scale=2]', 'scale=1,2']);
    const bDone = exited(b);
    await waitFor(() => { try { return started(b.pid); } catch { return false; } }, 'second process planning');
    p.write('go1', '');
    p.write('go2', '');
    expect(await aDone).toBe(0);
    expect(await bDone).toBe(0);
    const ups = p.log().filter((l) => /^(up|down) /.test(l));
    expect(ups).toEqual([`up ${a.pid}`, `down ${a.pid}`, `up ${b.pid}`, `down ${b.pid}`]);
  }, 60_000);

  it('one process tearing down its resource leaves the other\'s ledger row, so a crash of the other is still cleaned', async () => {
    p = makeProject(bf(false));
    const a = p.spawn(['work:run[scale=1]', 'scale=1,2']);
    const aDone = exited(a);
    await waitFor(() => p.log().some((l) => l.startsWith('run 1 ')), 'first process running');
    const b = p.spawn(['work:run[scale=2]', 'scale=1,2']);
    const bDone = exited(b);
    await waitFor(() => p.log().some((l) => l.startsWith('run 2 ')), 'second process running');
    expect(live()).toHaveLength(2);
    p.write('go1', '');
    expect(await aDone).toBe(0);
    expect(live()).toEqual([`live-${b.pid}`]);
    b.kill('SIGKILL');
    await bDone;
    const r = p.run(['gc', 'scale=1,2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tore down cluster:up');
    expect(live()).toEqual([]);
  }, 60_000);
});
