import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, PRELUDE, type TempProject } from './engine-project.js';

const CHAIN = `${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'data:gen', version: 1, inputs: ['in.txt'], reads: ['scale'],
      async run(ctx) {
        mark(ctx, 'run data:gen');
        const s = readFileSync(join(ctx.projectRoot, 'in.txt'), 'utf8').trim();
        writeFileSync(join(ctx.outDir, 'data.txt'), s.repeat(Number(ctx.config.scale ?? 1)));
      } },
    { kind: 'artifact', name: 'data:use', version: 1, needs: ['data:gen'],
      async run(ctx) {
        mark(ctx, 'run data:use');
        const d = readFileSync(join(ctx.deps['data:gen']![0]!.dir, 'data.txt'), 'utf8');
        writeFileSync(join(ctx.outDir, 'len.txt'), String(d.length));
      } },
    { kind: 'artifact', name: 'flaky:task', version: 1,
      async run(ctx) {
        mark(ctx, 'run flaky:task');
        if (readFileSync(join(ctx.projectRoot, 'in.txt'), 'utf8').includes('fail')) throw new Error('asked to fail');
      } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

const runs = (name: string): number => p.log().filter((l) => l === `run ${name}`).length;

describe('bench run (end to end)', () => {
  it('runs what is stale, skips what is up to date, and links results', () => {
    p = makeProject(CHAIN);
    p.write('in.txt', 'ab\n');
    expect(p.run(['run']).code).toBe(0);
    expect(p.read('results/data-use/default-r0/len.txt')).toBe('2');
    const again = p.run(['run']);
    expect(again.code).toBe(0);
    expect(runs('data:gen')).toBe(1);
    expect(again.stdout).toContain('0 ran, 3 up to date');
  });

  it('a touched but unchanged input reruns nothing', () => {
    p = makeProject(CHAIN);
    p.write('in.txt', 'ab\n');
    p.run(['run']);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(p.dir, 'in.txt'), later, later);
    expect(p.run(['run']).code).toBe(0);
    expect(p.log()).toHaveLength(3);
  });

  it('early cutoff: a rerun task with byte-identical output does not rerun its dependents', () => {
    p = makeProject(CHAIN);
    p.write('in.txt', 'ab\n');
    p.run(['run']);
    p.write('in.txt', 'ab   \n'); // trimmed away by data:gen
    const r = p.run(['data:use']);
    expect(r.code).toBe(0);
    expect(runs('data:gen')).toBe(2);
    expect(runs('data:use')).toBe(1);
  });

  it('a failing task exits 1; --keep-going still runs independent tasks; failure is a dry-run reason', () => {
    p = makeProject(CHAIN);
    p.write('in.txt', 'fail\n');
    const r = p.run(['--keep-going', '-j', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('asked to fail');
    expect(runs('data:use')).toBe(1);
    const dry = p.run(['--dry-run', 'flaky:task']);
    expect(dry.stdout).toMatch(/run\s+flaky:task\[default-r0\]\s+previous-failed/);
  });

  it('selects targets by name plus point filter and reports unknown targets as errors (exit 2)', () => {
    p = makeProject(CHAIN);
    p.write('in.txt', 'ab\n');
    expect(p.run(['--dry-run', 'data:use[scale=3]', 'scale=3']).stdout).toContain('data:use[default-r0]');
    const bad = p.run(['data:usee']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown target "data:usee"');
  });
});
