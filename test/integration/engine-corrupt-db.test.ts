/**
 * A damaged `cache/bench.db` is detected, named in one sentence, moved aside, and its index rebuilt
 * from the output manifests: finished tasks are not rerun, and no SQLite stack reaches the user.
 */
import { closeSync, openSync, readdirSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, PRELUDE, type TempProject } from './engine-project.js';

const BF = `${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'work:run', version: 1, reads: ['scale'],
      async run(ctx) { mark(ctx, 'run work'); writeFileSync(join(ctx.outDir, 'w.txt'), 'w'.repeat(2000) + String(ctx.config.scale)); } },
    { kind: 'artifact', name: 'report:all', version: 1, scope: 'sweep', needs: ['work:run'],
      async run(ctx) { mark(ctx, 'run report'); writeFileSync(join(ctx.outDir, 'r.txt'), String(ctx.deps['work:run']!.length)); } },
  ],
} satisfies Benchfile;
`;

const SWEEP = 'scale=range(0,40)';

let p: TempProject;
afterEach(() => p?.remove());

const db = (): string => join(p.dir, 'cache', 'bench.db');

function fullSweep(): number {
  p = makeProject(BF);
  expect(p.run([SWEEP]).code).toBe(0);
  const ran = p.log().length;
  expect(ran).toBe(41);
  // Enough rows that the database spans several pages, so damage lands inside a table.
  expect(statSync(db()).size).toBeGreaterThan(3 * 4096);
  return ran;
}

function expectRecovered(r: { code: number; stdout: string; stderr: string }, ranBefore: number): void {
  expect(r.stderr).toMatch(/cache\/bench\.db (is damaged|was missing or empty)/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/SqliteError|\n\s+at /);
  expect(r.code).toBe(0);
  expect(p.log()).toHaveLength(ranBefore);
}

describe('a corrupt cache database', () => {
  it('truncated: is moved aside and re-indexed; the next run reruns nothing', () => {
    const ran = fullSweep();
    truncateSync(db(), Math.floor(statSync(db()).size / 2));
    expectRecovered(p.run([SWEEP]), ran);
    expect(readdirSync(join(p.dir, 'cache')).some((f) => f.startsWith('bench.db.corrupt-'))).toBe(true);
    expect(p.run([SWEEP, '--dry-run']).stdout).toContain('0 to run');
  });

  it('4 KiB overwritten: the same, and gc works on it too', () => {
    const ran = fullSweep();
    const fd = openSync(db(), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096);
    closeSync(fd);
    expectRecovered(p.run(['gc', SWEEP]), ran);
    expect(p.run([SWEEP]).code).toBe(0);
    expect(p.log()).toHaveLength(ran);
  });

  it('header overwritten (not a database any more): the same', () => {
    const ran = fullSweep();
    const fd = openSync(db(), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
    closeSync(fd);
    expectRecovered(p.run([SWEEP]), ran);
  });

  it('emptied: re-indexed from the manifests', () => {
    const ran = fullSweep();
    truncateSync(db(), 0);
    expectRecovered(p.run([SWEEP]), ran);
  });
});
