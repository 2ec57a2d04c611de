import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, PRELUDE, type TempProject } from './engine-project.js';

const BF = `${PRELUDE}
export default {
  tasks: [
    { kind: 'artifact', name: 'a:gen', version: 1, async run(ctx) { writeFileSync(join(ctx.outDir, 'a'), 'a'); } },
    { kind: 'artifact', name: 'report:final', version: 1, needs: ['a:gen'], publish: ['report.txt'],
      async run(ctx) { writeFileSync(join(ctx.outDir, 'report.txt'), 'R'); } },
  ],
} satisfies Benchfile;
`;

let p: TempProject;
afterEach(() => p?.remove());

describe('bench list / status / graph / gc / clean', () => {
  it('show the graph and its state, publish files, collect garbage and clean', () => {
    p = makeProject(BF);
    expect(p.run(['list']).stdout).toContain('report:final[default-r0]  artifact');
    expect(p.run(['status']).stdout).toMatch(/stale\s+a:gen\[default-r0\]\s+new/);
    expect(p.run(['run']).code).toBe(0);
    expect(p.read('results/report.txt')).toBe('R');
    expect(p.run(['status']).stdout).toMatch(/up-to-date\s+report:final\[default-r0\]/);
    expect(p.run(['graph', '--format', 'ascii']).stdout).toContain('✓ report:final[default-r0]  [skip: up-to-date]  ← a:gen[default-r0]');
    expect(p.run(['graph', '--format', 'svgz']).code).toBe(2);
    expect(p.run(['gc']).stdout).toContain('removed 0');
    expect(p.run(['clean']).code).toBe(0);
    expect(existsSync(join(p.dir, 'cache', 'store'))).toBe(false);
    expect(p.run(['--dry-run']).stdout).toContain('2 to run');
  });
});
