/**
 * `bench clean` and `bench gc` lose nothing they should keep: --dry-run deletes nothing, the
 * ledger's resources are torn down first, published copies survive, targets narrow what goes,
 * a live run holds both off, and sweeps do not evict each other's results.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { until } from '../support/wait.js';
import { exited, makeProject, PRELUDE, REPO, waitFor, type TempProject } from './engine-project.js';

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

describe('the lease of a live run', () => {
  it('is renewed by a heartbeat; status and the refusal name PID, command and heartbeat; a hung run is named, never cleaned under; a dead one is taken over', async () => {
    p = makeProject(BF);
    p.write('hang', '2');
    const child = p.spawn(['scale=1,2', '-j', '1'], { BENCH_LEASE_RENEW_MS: '500' });
    const pid = child.pid as number;
    await waitFor(() => runs('run work 2') > 0, 'second point running');
    const db = new Database(join(p.dir, 'cache', 'bench.db'), { readonly: true });
    const lease = () => db.prepare('SELECT started_at AS startedAt, renewed_at AS renewedAt, command FROM leases WHERE pid = ?').get(pid) as { startedAt: number; renewedAt: number; command: string } | undefined;
    try {
      // At least three beats after the lease was taken.
      await until('three lease renewals', () => ((lease()?.renewedAt ?? 0) >= (lease()?.startedAt ?? Infinity) + 1500 ? true : undefined), 20_000);
      expect(lease()?.command).toBe('bench scale=1,2 -j 1');
      const status = p.run(['status']).stdout;
      expect(status).toMatch(new RegExp(`processes using this cache \\(1\\):\\n  bench run \\(PID ${pid}, "bench scale=1,2 -j 1"\\), last heartbeat \\d+\\.\\d s ago \\(renewed every 0\\.5 s\\)\\n`));
      const busy = p.run(['clean']);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(new RegExp(`^error: bench run \\(PID ${pid}, "bench scale=1,2 -j 1"\\), last heartbeat \\d+\\.\\d s ago .* is using this cache; clean would delete outputs it needs`));

      // Stopped: alive, but its heartbeat stops. Once six beats are missed it is called possibly hung, with the PID to end; nothing goes.
      const before = storeCount();
      child.kill('SIGSTOP');
      const hung = await until('clean to call the stopped run possibly hung', () => {
        const r = p.run(['clean']);
        return /may be hung/.test(r.stderr) ? r : undefined;
      }, 30_000, 200);
      expect(hung.code).toBe(1);
      expect(hung.stderr).toContain(`(PID ${pid}, "bench scale=1,2 -j 1")`);
      expect(hung.stderr).toContain(`nothing is deleted under a live process; if it is hung, end it (kill ${pid}) and run clean again`);
      expect(p.run(['gc']).code).toBe(1);
      expect(p.run(['status']).stdout).toContain(`silent: it may be hung; if so, end it with kill ${pid}`);
      expect(storeCount()).toBe(before);

      // Ended for good: its lease is taken over by the next clean, which goes ahead.
      child.kill('SIGKILL');
      await exited(child);
      const r = p.run(['clean']);
      expect(r.stderr).not.toContain('is using this cache');
      expect(r.code).toBe(0);
      expect(lease()).toBeUndefined();
    } finally {
      db.close();
      child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('a process stopped inside a write', () => {
  it('leaves status working, and clean/gc fail after the busy timeout with one line instead of a stack', async () => {
    p = makeProject(BF);
    expect(p.run(['scale=1']).code).toBe(0);
    // Holds the database's write lock as a run stopped mid-commit would.
    const hold = `const D = require(${JSON.stringify(join(REPO, 'node_modules', 'better-sqlite3'))}); const db = new D('cache/bench.db');
      db.exec('BEGIN IMMEDIATE'); db.exec('UPDATE leases SET kind = kind'); process.stdout.write('held'); setInterval(() => {}, 1000);`;
    const holder = spawn(process.execPath, ['-e', hold], { cwd: p.dir, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let said = '';
      holder.stdout?.on('data', (d: Buffer) => { said += d.toString(); });
      await until('the write lock held', () => (said.includes('held') ? true : undefined), 20_000);
      const status = p.run(['status']);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('processes using this cache: none');
      const gc = p.run(['gc']);
      expect(gc.code).toBe(1);
      expect(gc.stderr).toBe('error: the cache database stayed locked by another process for 10 s; bench status names the processes using this cache (a stopped or hung one must be ended first)\n');
    } finally {
      holder.kill('SIGKILL');
    }
  }, 60_000);
});

describe('bench gc', () => {
  it('keeps the full sweep\'s report after a narrower sweep replaced its entry', () => {
    p = makeProject(BF);
    expect(p.run(['scale=1,2,3']).code).toBe(0);
    // The same report:all[all] instance, over fewer points: its entry is replaced.
    expect(p.run(['scale=1,2']).code).toBe(0);
    expect(runs('run report')).toBe(2);
    expect(p.run(['gc', 'scale=1,2']).code).toBe(0);
    // Switching back: the dry run says the report is taken back, not run, and nothing runs.
    const dry = p.run(['scale=1,2,3', '--dry-run']).stdout;
    expect(dry).toContain('\nrestore  report:all[all]  config-changed: points 2 items → 3 items (added scale=3-r0); the same fingerprint was committed at ');
    expect(dry.trimEnd().split('\n').at(-1)).toBe('0 to run, 1 to restore from history, 3 up to date, 1 resources');
    const r = p.run(['scale=1,2,3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/done: 0 ran, 1 restored from history, 3 up to date/);
    expect(runs('run report')).toBe(2);
    expect(p.read('results/report.txt')).toBe('w1,w2,w3');
  });
});
