import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, PRELUDE, type TempProject } from './engine-project.js';

const BF = (version: number) => `${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'a:gen', version: ${version}, inputs: ['in.txt'], reads: ['sched.window'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'a.txt'), readFileSync(join(ctx.projectRoot, 'in.txt'), 'utf8') + JSON.stringify(ctx.config)); } },
    { kind: 'artifact', name: 'b:use', version: 1, needs: ['a:gen'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'b.txt'), readFileSync(join(ctx.deps['a:gen']![0]!.dir, 'a.txt'))); } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

const line = (out: string, id: string): string => out.split('\n').find((l) => l.includes(` ${id} `) || l.endsWith(` ${id}`)) ?? '';

describe('bench --dry-run reasons', () => {
  it('lists every needed task with action and reason, one case per reason kind', () => {
    p = makeProject(BF(1));
    p.write('in.txt', 'x');
    let out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toMatch(/^run\s+a:gen\[default-r0\]\s+new/);
    expect(p.run(['sched.window=10']).code).toBe(0);

    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toMatch(/skip\s+\S+\s+up-to-date/);

    out = p.run(['--dry-run', 'sched.window=50']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('config-changed: sched.window 10 → 50');
    expect(line(out, 'b:use[default-r0]')).toContain('dependency-changed: a:gen[default-r0]');

    p.write('in.txt', 'y');
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('input-changed: in.txt');
    p.write('in.txt', 'x');

    out = p.run(['--dry-run', 'sched.window=10', '--force', 'b:use']).stdout;
    expect(line(out, 'b:use[default-r0]')).toMatch(/run\s+\S+\s+forced/);

    rmSync(join(p.dir, 'cache', 'store'), { recursive: true });
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('output-missing');

    p.write('benchfile.ts', BF(2));
    out = p.run(['--dry-run', 'sched.window=10']).stdout;
    expect(line(out, 'a:gen[default-r0]')).toContain('version-changed: 1 → 2');
  });

  it('bench explain shows the fingerprint record and the difference from the last run', () => {
    p = makeProject(BF(1));
    p.write('in.txt', 'x');
    p.run(['sched.window=10']);
    const out = p.run(['explain', 'a:gen', 'sched.window=11']).stdout;
    expect(out).toContain('"sched.window": 11');
    expect(out).toContain('difference: config-changed: sched.window 10 → 11');
  });

  it('a dependency cycle is a diagnostic naming the chain and where each task is declared (exit 2)', () => {
    p = makeProject(`${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'x:one', version: 1, needs: ['x:two'], async run() {} },
    { kind: 'artifact', name: 'x:two', version: 1, needs: ['x:one'], async run() {} },
  ],
} satisfies Benchfile;
`);
    const r = p.run(['run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dependency cycle: x:one → x:two → x:one');
    expect(r.stderr).toContain('x:one (benchfile.ts:10)');
    expect(r.stderr).toContain('x:two (benchfile.ts:11)');
  });

  it('a syntax error in the benchfile is a located diagnostic', () => {
    p = makeProject(`export default { tasks: [ ] ;\n`);
    const r = p.run(['run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/benchfile\.ts:1:\d+: error/);
  });
});
