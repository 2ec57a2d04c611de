import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runConfigCommand } from '../../../../src/cli/config-command.js';
import { at, BASE_FILES, makeRoot } from './conf-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function root(extra: Record<string, string> = {}): string {
  const r = makeRoot({ ...BASE_FILES, ...extra });
  cleanups.push(r.cleanup);
  return r.root;
}

describe('bench config', () => {
  it('show prints the composed config as YAML with overrides applied', () => {
    const r = runConfigCommand(['show', 'scheduler=flux', 'seed=9'], root());
    expect(r.exitCode).toBe(0);
    const doc: unknown = parse(r.stdout);
    expect(at(doc, 'seed')).toBe(9);
    expect(at(doc, 'scheduler.kind')).toBe('flux');
    expect(at(doc, 'topology.name')).toBe('small');
  });

  it('show GROUP prints only that group', () => {
    const r = runConfigCommand(['show', 'topology', 'topology=medium'], root());
    expect(r.exitCode).toBe(0);
    expect(Object.keys(parse(r.stdout) as object)).toEqual(['topology']);
    expect(at(parse(r.stdout), 'topology.compute_nodes.count')).toBe(8);
  });

  it('sweep lists one line per point with id, hash and overrides', () => {
    const r = runConfigCommand(['sweep', 'experiment=matrix'], root());
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('4 points');
    expect(lines[0]).toMatch(/^small-slurm-mixed-r0\t[0-9a-f]{12}\texperiment=matrix topology=small scheduler=slurm$/);
  });

  it('exits 2 and lists every config error', () => {
    const slurm = BASE_FILES['conf/scheduler/slurm.yaml']!.replace('SchedulerType:', 'SchedulerTyp:');
    const r = runConfigCommand(['sweep', 'topology=huge'], root({ 'conf/scheduler/slurm.yaml': slurm }));
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain('did you mean "SchedulerType"?');
    expect(r.stdout).toContain('unknown option "huge" for group topology');
    expect(r.stdout).toContain('2 config errors');
  });

  it('exits 2 on an unknown subcommand', () => {
    expect(runConfigCommand(['shwo'], root()).exitCode).toBe(2);
  });
});
