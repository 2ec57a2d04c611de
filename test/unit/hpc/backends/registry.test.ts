import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  combinationProblem, hostStateFor, PROVIDER_KINDS, PROVIDERS, providerFor, SCHEDULER_KINDS, SCHEDULERS, schedulerFor, schedulersOn,
} from '../../../../src/hpc/backends/registry.js';
import { DISCRIMINATORS } from '../../../../src/hpc/config/schema.js';
import { validateConfig } from '../../../../src/hpc/config/validate-config.js';

const root = resolve(import.meta.dirname, '../../../..');
const backends = join(root, 'src/hpc/backends');

describe('backend registry', () => {
  it('lists every backend folder with a descriptor exactly once, and derives the config kinds from them', () => {
    const folders = readdirSync(backends, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(backends, d.name, 'descriptor.ts'))).map((d) => d.name);
    // The sim folder holds the simulated provider; the simulated scheduler plays the scheduler descriptors' presets.
    expect([...SCHEDULER_KINDS, ...PROVIDER_KINDS].sort()).toEqual(folders.flatMap((f) => (f === 'sim' ? ['sim'] : [f])).sort());
    expect(DISCRIMINATORS['scheduler.kind']).toEqual(SCHEDULER_KINDS);
    expect(DISCRIMINATORS['provider.kind']).toEqual(PROVIDER_KINDS);
  });

  it('runs every scheduler on the simulator, SLURM on every real provider and Kubernetes on netns, and says so for the rest', () => {
    for (const s of SCHEDULER_KINDS) expect(combinationProblem('sim', s)).toBeUndefined();
    for (const p of ['netns', 'libvirt', 'ssh']) {
      expect(combinationProblem(p, 'slurm')).toBeUndefined();
      expect(schedulersOn(p)).toEqual(p === 'netns' ? ['slurm', 'kubernetes'] : ['slurm']);
      expect(combinationProblem(p, 'flux')).toBe(`scheduler "flux" on provider "${p}" is not built yet: it runs on provider sim`);
    }
    expect(combinationProblem('libvirt', 'kubernetes')).toBe('scheduler "kubernetes" on provider "libvirt" is not built yet: it runs on provider sim, netns');
    expect(combinationProblem('netns', 'bogus')).toBeUndefined();
  });

  it('loads implementations by kind, and names what is not built', async () => {
    for (const p of PROVIDER_KINDS) expect(((await providerFor(p)) as { kind: string }).kind).toBe(p);
    expect(await providerFor('vagrant')).toMatch(/unknown provider kind "vagrant" \(expected one of sim, netns, libvirt, ssh\)/);
    expect(((await schedulerFor('sim', 'kubernetes')) as { kind: string }).kind).toBe('sim');
    expect(((await schedulerFor('libvirt', 'slurm')) as { kind: string }).kind).toBe('slurm');
    expect(await schedulerFor('libvirt', 'kubernetes')).toMatch(/not built yet/);
  });

  it('gives netns hosts the per-host folders of the schedulers built there, and none elsewhere', () => {
    const netns = hostStateFor('netns');
    expect(netns.dirs).toEqual(expect.arrayContaining(['/etc/slurm', '/etc/munge', '/var/spool/slurmd', '/var/log/slurm']));
    expect(netns.runDirs).toEqual([{ path: '/run/munge', owner: 'munge:munge' }]);
    expect(hostStateFor('sim')).toEqual({ dirs: [], runDirs: [] });
  });

  it('keeps the project image and NixOS modules in step with what the real schedulers need', () => {
    const image = parse(readFileSync(join(root, 'conf/image/debian.yaml'), 'utf8')) as { packages: string[] };
    for (const s of SCHEDULERS) {
      if (s.realProviders.includes('libvirt')) expect(image.packages, s.kind).toEqual(expect.arrayContaining([...(s.imagePackages ?? [])]));
      if ('nixModule' in s && s.nixModule) expect(existsSync(join(root, 'nix/modules', s.nixModule)), s.kind).toBe(true);
    }
    expect(PROVIDERS.filter((p) => 'simulated' in p && p.simulated).map((p) => p.kind)).toEqual(['sim']);
  });
});

describe('config validation of scheduler and provider together', () => {
  it('fails an unbuilt combination at the scheduler kind, naming what is built', () => {
    const prov = new Map([['scheduler.kind', { file: 'conf/scheduler/flux.yaml', line: 2, column: 1 }]]);
    const ds = validateConfig({ scheduler: { kind: 'flux' }, provider: { kind: 'netns', subnet: '10.77.0.0/24', bridge: 'b' } }, prov);
    expect(ds).toEqual([{
      severity: 'error', file: 'conf/scheduler/flux.yaml', line: 2, column: 1, keyPath: 'scheduler.kind',
      message: 'scheduler "flux" on provider "netns" is not built yet: it runs on provider sim',
      expected: 'a scheduler built for provider netns (slurm, kubernetes)', found: '"flux"',
    }]);
    expect(validateConfig({ scheduler: { kind: 'flux' }, provider: { kind: 'sim' } }, new Map())).toEqual([]);
  });
});
