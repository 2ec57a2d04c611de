/**
 * A scheduler on a provider it is not built for fails while the config is checked — exit 2, the
 * file and key named, what is built said — before any cluster is provisioned (before, it failed
 * only after provisioning). Runs the CLI (dist/) on a copy of this project's benchfile and conf/.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './engine-project.js';
import { copyProject } from '../support/bench-project.js';

let dir = '';
const bench = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

beforeAll(() => {
  dir = copyProject('bench-combination-', { extra: ['data'] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scheduler and provider combinations', () => {
  it('refuses flux on netns at planning time with exit 2, naming the file, the key and what is built', () => {
    const r = bench('workload:run', 'provider=netns', 'scheduler=flux', 'experiment=none', `provider.state_dir=${join(dir, 'netns')}`);
    expect(r.code).toBe(2);
    expect(r.out).toContain('conf/scheduler/flux.yaml:2:1: error: scheduler.kind: scheduler "flux" on provider "netns" is not built yet: it runs on provider sim');
    expect(r.out).toContain('expected a scheduler built for provider netns (slurm, kubernetes)');
    expect(r.out).not.toMatch(/at \S+\.js:\d+/);
    // Nothing was provisioned: no cluster record, no run.
    expect(existsSync(join(dir, 'netns'))).toBe(false);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('says it for every point of a sweep that crosses into an unbuilt combination, and only those', () => {
    const r = bench('workload:run', '--dry-run', 'provider=sim,libvirt', 'scheduler=slurm,kubernetes', 'experiment=none');
    expect(r.code).toBe(2);
    expect(r.out).toContain('scheduler "kubernetes" on provider "libvirt" is not built yet');
    expect(r.out).not.toContain('"slurm" on provider');
    expect(r.out).not.toContain('on provider "sim"');
  });
});
