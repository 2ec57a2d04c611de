/**
 * `bench clean` and `bench gc` lose nothing they should keep: --dry-run deletes nothing, the
 * ledger's resources are torn down first, published copies survive, targets narrow what goes,
 * a live run holds both off, and sweeps do not evict each other's results.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, makeProject, PRELUDE, waitFor, type TempProject } from './engine-project.js';

const BF = `${PRELUDE}
import { existsSync, rmSync } from 'node:fs';
export default {
  tasks: [
    { kind: 'resource', name: 'cluster:up', version: 1,
      async up(ctx) { const token = 'tok-' + process.pid; writeFileSync(join(ctx.projectRoot, 'live-' + token), ''); return { token }; },
      async down(h: { token: string }, ctx) { rmSync(join(ctx.projectRoot, 'live-' + h.token), { force: true }); mark(ctx, 'down ' + h.token); } },
    { kind: 'artifact', name: 'work:run', version: 1, reads: ['scale'], needs: ['cluster:up'],
      async run(ctx) {
        mark(ctx, 'run work ' + String(ctx.config.scale));
        const hang = join(ctx.projectRoot, 'hang');
        if (existsSync(hang) && ['', String(ctx.config.scale)].includes(readFileSync(hang, 'utf8'))) await sleep(60_000, undefined, { signal: ctx.signal });
        writeFileSync(join(ctx.outDir, 'w.txt'), 'w' + String(ctx.config.scale));
      } },
    { kind: 'artifact', name: 'report:all', version: 1, scope: 'sweep', needs: ['work:run'], publish: ['report.txt'],
      async run(ctx) {
        mark(ctx, 'run report');
        const parts = ctx.deps['work:run']!.map((d) => readFileSync(join(d.dir, 'w.txt'), 'utf8'));
        writeFileSync(join(ctx.outDir, 'report.txt'), parts.sort().join(','));
      } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

const storeCount = (): number => (existsSync(join(p.dir, 'cache', 'store')) ? readdirSync(join(p.dir, 'cache', 'store')).length : 0);
const runs = (prefix: string): number => p.log().filter((l) => l.startsWith(prefix)).length;

describe('bench clean', () => {
  it('--dry-run lists what would go and deletes nothing', () => {
    p = makeProject(BF);
    expect(p.run(['scale=1,2']).code).toBe(0);
    const before = storeCount();
    const r = p.run(['clean', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`would remove ${before} outputs`);
    expect(storeCount()).toBe(before);
    expect(p.read('results/report.txt')).toBe('w1,w2');
    expect(p.run(['scale=1,2', '--dry-run']).stdout).toContain('0 to run');
  });

  it('keeps published copies in results/ and drops the links into the cache', () => {
    p = makeProject(BF);
    expect(p.run(['scale=1,2']).code).toBe(0);
    expect(p.run(['clean']).code).toBe(0);
    expect(storeCount()).toBe(0);
    expect(p.read('results/report.txt')).toBe('w1,w2');
    expect(existsSync(join(p.dir, 'results', 'report-all'))).toBe(true);
    expect(readdirSync(join(p.dir, 'results', 'report-all'))).toEqual([]);
    expect(p.run(['scale=1,2', '--dry-run']).stdout).toContain('3 to run');
  });

  it('takes targets: only the selected instances go', () => {
    p = makeProject(BF);
    expect(p.run(['scale=1,2']).code).toBe(0);
    const r = p.run(['clean', 'work:run[scale=2]', 'scale=1,2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/removed work:run\[[^\]]*2[^\]]*\]/);
    const dry = p.run(['scale=1,2', '--dry-run']).stdout;
    expect(dry).toMatch(/run\s+work:run\[[^\]]*2[^\]]*\]/);
    expect(dry).toMatch(/skip\s+work:run\[[^\]]*1[^\]]*\]/);
    expect(p.run(['scale=1,2']).code).toBe(0);
    expect(runs('run work 1')).toBe(1);
    expect(runs('run work 2')).toBe(2);
  });

  it('tears down what the ledger lists after a kill -9 instead of dropping the ledger', async () => {
    p = makeProject(BF);
    p.write('hang', '');
    const child = p.spawn(['scale=1']);
    await waitFor(() => runs('run work') > 0, 'task running on the resource');
    const live = readdirSync(p.dir).filter((f) => f.startsWith('live-'));
    expect(live).toHaveLength(1);
    child.kill('SIGKILL');
    await exited(child);
    const dry = p.run(['clean', '--dry-run']);
    expect(dry.stdout).toContain('would tear down cluster:up');
    expect(readdirSync(p.dir).filter((f) => f.startsWith('live-'))).toHaveLength(1);
    const r = p.run(['clean']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tore down cluster:up');
    expect(readdirSync(p.dir).filter((f) => f.startsWith('live-'))).toEqual([]);
  }, 30_000);
});

describe('clean and gc under a live run', () => {
  it('refuse, naming the running PID, and the run loses nothing', async () => {
    p = makeProject(BF);
    p.write('hang', '2');
    const child = p.spawn(['scale=1,2', '-j', '1']);
    await waitFor(() => runs('run work 2') > 0, 'second point running');
    for (const cmd of ['clean', 'gc']) {
      const r = p.run([cmd]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`PID ${child.pid}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(storeCount()).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    // The first point's committed output is still there: the rerun does not redo it.
    expect(p.run(['scale=1,2', '--dry-run']).stdout).toMatch(/skip\s+work:run\[[^\]]*1[^\]]*\]/);
  }, 30_000);
});

describe('bench gc', () => {
  it('keeps the full sweep\'s report after a narrower sweep replaced its entry', () => {
    p = makeProject(BF);
    expect(p.run(['scale=1,2,3']).code).toBe(0);
    // The same report:all[all] instance, over fewer points: its entry is replaced.
    expect(p.run(['scale=1,2']).code).toBe(0);
    expect(runs('run report')).toBe(2);
    expect(p.run(['gc', 'scale=1,2']).code).toBe(0);
    const r = p.run(['scale=1,2,3']);
    expect(r.code).toBe(0);
    expect(runs('run report')).toBe(2);
    expect(p.read('results/report.txt')).toBe('w1,w2,w3');
  });
});
