/**
 * What the user reads when something outside a task goes wrong: a benchfile that throws while
 * loading is shown at its own file and line, and results/ that cannot be written is one line —
 * never a stack into bench or into the bundle in cache/benchfile/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, PRELUDE, REPO, type TempProject } from './engine-project.js';

let p: TempProject;
afterEach(() => p?.remove());

const OK = `${PRELUDE}
export default {
  tasks: [{ kind: 'artifact', name: 'a:gen', version: 1, publish: ['a.txt'], async run(ctx) { writeFileSync(join(ctx.outDir, 'a.txt'), 'a'); } }],
} satisfies Benchfile;
`;

const noStack = (s: string): void => {
  expect(s).not.toMatch(/\n\s+at /);
  expect(s).not.toContain('cache/benchfile/');
};

describe('messages', () => {
  it('a benchfile that throws while loading is shown at its own line, with its message and no stack', () => {
    const lines = OK.split('\n');
    const at = lines.findIndex((l) => l.startsWith('export default'));
    const thrower = "if (Number.isNaN(limit)) throw new RangeError('limit must be a number');";
    lines.splice(at, 0, 'const limit = Number("x");', thrower);
    p = makeProject(lines.join('\n'));
    const r = p.run(['run']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`benchfile.ts:${at + 2}:${thrower.indexOf('new') + 1}: error: the benchfile threw while loading: RangeError: limit must be a number`);
    noStack(r.stderr);
  });

  it('results/ that cannot be written is one line after the run, and the outputs stay committed', () => {
    p = makeProject(OK);
    writeFileSync(join(p.dir, 'results'), 'not a directory');
    const r = p.run(['run']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: could not publish to results\/ \(.*\); the outputs are kept in the cache/);
    noStack(r.stderr);
    expect(p.run(['--dry-run']).stdout).toContain('0 to run');
  });

  const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
  it.skipIf(!canMount)('a read-only results/ (a read-only bind mount) is one line too (needs root and unshare -m for a private read-only bind mount)', () => {
    p = makeProject(OK);
    mkdirSync(join(p.dir, 'results'));
    const bin = join(REPO, 'bin', 'bench.js');
    const script = `mount --bind results results && mount -o remount,bind,ro results && exec "${process.execPath}" "${bin}" run`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { cwd: p.dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: could not publish to results\/ \(/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    noStack(r.stderr);
  });

  it('a malformed SWF line is a located error at planning: exit 2 under --dry-run, before anything runs', () => {
    p = makeProject(OK);
    cpSync(join(REPO, 'conf'), join(p.dir, 'conf'), { recursive: true });
    const good = readFileSync(join(REPO, 'data/traces/rlscheduler-lublin256/lublin_256.swf'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith(';')).slice(0, 20);
    good.splice(4, 1, '5 10 x 100 4 -1 -1 4 200 -1 1 3 1 -1 1 -1 -1 -1');
    writeFileSync(join(p.dir, 'bad.swf'), `; a trace with one bad record\n${good.join('\n')}\n`);
    for (const args of [['--dry-run'], ['run']]) {
      const r = p.run([...args, 'workload=trace_lublin', 'workload.path=bad.swf']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${join(p.dir, 'bad.swf')}:6: error: malformed SWF record (expected 18 numeric fields, found "x" in field 3)`);
      noStack(r.stderr);
    }
    expect(p.log()).toEqual([]);
  });
});
