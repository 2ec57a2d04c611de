import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const nixDir = join(import.meta.dirname, '../../../../nix');
const hasNix = spawnSync('nix-instantiate', ['--version']).status === 0;
if (!hasNix && process.env['CI'] === 'true') throw new Error('nix-instantiate (Debian nix-bin) is required under CI=true');

function nixFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? nixFiles(join(dir, e.name)) : e.name.endsWith('.nix') ? [join(dir, e.name)] : []);
}

describe.skipIf(!hasNix)('nix/ definitions (skipped: nix-instantiate not installed)', () => {
  it('has the flake and the base, slurm, kubernetes and flux modules', () => {
    const names = nixFiles(nixDir).map((f) => f.slice(nixDir.length + 1)).sort();
    expect(names).toEqual(['flake.nix', 'modules/base.nix', 'modules/flux.nix', 'modules/kubernetes.nix', 'modules/slurm.nix']);
  });
  it.each(nixFiles(nixDir))('%s parses', (file) => {
    expect(() => execFileSync('nix-instantiate', ['--parse', file], { stdio: 'pipe' })).not.toThrow();
  });
});
