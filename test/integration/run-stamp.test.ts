/**
 * The run stamp lets a no-op skip building the graph; these tests prove it never hides a change.
 * For each kind of thing a run depends on, a no-op first runs from the stamp, then the thing is
 * changed and the next run must see it exactly as a run without a stamp would.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeProject, type TempProject } from './engine-project.js';

const TASKS = `
import type { Benchfile } from 'bench';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helper } from './helper.js';
export default { tasks: [
  { kind: 'artifact', name: 'a', version: 1, inputs: ['in.txt'], reads: ['x'], publish: ['a.txt'], summary: 'a.txt',
    async run(ctx) { writeFileSync(join(ctx.outDir, 'a.txt'), helper(readFileSync(join(ctx.projectRoot, 'in.txt'), 'utf8') + String(ctx.config['x']))); } },
  { kind: 'artifact', name: 'g', version: 1, inputs: ['data/*.csv'],
    async run(ctx) { writeFileSync(join(ctx.outDir, 'g.txt'), readdirSync(join(ctx.projectRoot, 'data')).join(',')); } },
] } satisfies Benchfile;
`;

let p: TempProject;
const ran = (out: string) => /done: (\d+) ran/.exec(out)?.[1];
/** Runs twice so the second run is a no-op from the stamp; returns the stamped no-op's output. */
const settle = (args: string[]) => {
  expect(p.run(args).code).toBe(0);
  expect(existsSync(join(p.dir, 'cache/run-stamp.json'))).toBe(true);
  const again = p.run(args);
  expect(ran(again.stdout)).toBe('0');
  return again.stdout;
};

beforeEach(() => {
  p = makeProject(TASKS);
  p.write('helper.ts', 'export const helper = (s: string) => s.toUpperCase();\n');
  p.write('in.txt', 'one');
  mkdirSync(join(p.dir, 'data'));
  p.write('data/1.csv', 'x');
});
afterEach(() => p.remove());

describe('a no-op from the run stamp', () => {
  it('prints what the ordinary no-op prints: the summary line and the summaries', () => {
    const out = settle(['a', 'x=1']);
    expect(out).toMatch(/done: 0 ran, 1 up to date, 0 failed/);
    expect(out).toMatch(/ONE1/);
  });

  it('sees an edited input file, and not a touched one', () => {
    settle(['a', 'x=1']);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(p.dir, 'in.txt'), later, later);
    expect(ran(p.run(['a', 'x=1']).stdout)).toBe('0');
    p.write('in.txt', 'two');
    const r = p.run(['a', 'x=1']);
    expect(r.stdout).toMatch(/a\[default-r0\] \(input-changed: in\.txt\)/);
    expect(r.stdout).toMatch(/TWO1/);
  });

  it('sees a changed config value', () => {
    settle(['a', 'x=1']);
    expect(p.run(['a', 'x=2']).stdout).toMatch(/\(config-changed: x 1 → 2\)/);
  });

  it('sees edited task code, in the benchfile or a module it imports', () => {
    settle(['a', 'x=1']);
    p.write('helper.ts', 'export const helper = (s: string) => s.toLowerCase();\n');
    const r = p.run(['a', 'x=1']);
    expect(r.stdout).toMatch(/code-changed: helper\.ts/);
    expect(r.stdout).toMatch(/one1/);
  });

  it('sees a changed version of an imported package', () => {
    mkdirSync(join(p.dir, 'node_modules', 'pkg'));
    p.write('node_modules/pkg/package.json', JSON.stringify({ name: 'pkg', version: '1.0.0', type: 'module', main: 'i.js' }));
    p.write('node_modules/pkg/i.js', 'export const v = 1;\n');
    p.write('helper.ts', "import { v } from 'pkg';\nexport const helper = (s: string) => s + v;\n");
    settle(['a', 'x=1']);
    p.write('node_modules/pkg/package.json', JSON.stringify({ name: 'pkg', version: '1.0.1', type: 'module', main: 'i.js' }));
    expect(p.run(['a', 'x=1']).stdout).toMatch(/code-changed: npm:pkg/);
  });

  it('sees other targets', () => {
    settle(['a', 'x=1']);
    expect(p.run(['g', 'x=1']).stdout).toMatch(/g\[default-r0\] \(new\)/);
  });

  it('sees a file that newly matches an input glob', () => {
    settle(['g']);
    p.write('data/2.csv', 'y');
    expect(p.run(['g']).stdout).toMatch(/input-changed: data\/2\.csv/);
  });

  it('sees a change to the cache database made by someone else', () => {
    settle(['a', 'x=1']);
    const db = new Database(join(p.dir, 'cache/bench.db'));
    // As if another bench had forgotten the task: no entry, no committed history.
    db.exec('DELETE FROM entries; DELETE FROM history;');
    db.close();
    expect(p.run(['a', 'x=1']).stdout).toMatch(/a\[default-r0\] \(new\)/);
  });

  it('sees an output deleted from the store', () => {
    settle(['a', 'x=1']);
    for (const d of readdirSync(join(p.dir, 'cache/store'))) rmSync(join(p.dir, 'cache/store', d), { recursive: true });
    expect(p.run(['a', 'x=1']).stdout).toMatch(/\(output-missing\)/);
  });

  it('publishes again a published file the user deleted', () => {
    settle(['a', 'x=1']);
    rmSync(join(p.dir, 'results/a.txt'));
    expect(ran(p.run(['a', 'x=1']).stdout)).toBe('0');
    expect(p.read('results/a.txt')).toBe('ONE1');
  });
});

describe('a dry run from the run stamp', () => {
  const MARK = 'debug: run stamp holds; graph not built';
  const debugRun = (args: string[]) => {
    const before = process.env['BENCH_DEBUG'];
    process.env['BENCH_DEBUG'] = 'stamp';
    try {
      return p.run(args);
    } finally {
      if (before === undefined) delete process.env['BENCH_DEBUG'];
      else process.env['BENCH_DEBUG'] = before;
    }
  };

  it('prints what the ordinary dry run prints, without building the graph', () => {
    settle(['a', 'g', 'x=1']);
    const stamped = debugRun(['a', 'g', 'x=1', '--dry-run']);
    expect(stamped.code).toBe(0);
    expect(stamped.stderr).toContain(MARK);
    expect(stamped.stdout).toMatch(/^skip +a\[default-r0\]/m);
    expect(stamped.stdout).toMatch(/0 to run, 2 up to date, 0 resources/);
    rmSync(join(p.dir, 'cache/run-stamp.json'));
    const ordinary = debugRun(['a', 'g', 'x=1', '--dry-run']);
    expect(ordinary.code).toBe(0);
    expect(ordinary.stderr).not.toContain(MARK);
    expect(stamped.stdout).toBe(ordinary.stdout);
  });

  it('takes the ordinary path when an input changed, or the saved text was tampered with', () => {
    settle(['a', 'x=1']);
    p.write('in.txt', 'two');
    const edited = debugRun(['a', 'x=1', '--dry-run']);
    expect(edited.stderr).not.toContain(MARK);
    expect(edited.stdout).toMatch(/^run +a\[default-r0\] +input-changed: in\.txt/m);
    settle(['a', 'x=1']);
    p.write('cache/run-stamp.dry-run.txt', 'nothing to see\n');
    const tampered = debugRun(['a', 'x=1', '--dry-run']);
    expect(tampered.stderr).not.toContain(MARK);
    expect(tampered.stdout).toMatch(/0 to run, 1 up to date/);
  });
});
