import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeBenchConfig as composeConfig } from '../../../../src/hpc/config/compose-bench.js';
import { writePointConfig } from '../../../../src/engine/config/save-point.js';
import { at, BASE_FILES, makeRoot } from './conf-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('writePointConfig', () => {
  it('saves the resolved config and overrides, and composing those overrides again gives the same hash', () => {
    const { root, cleanup } = makeRoot(BASE_FILES);
    cleanups.push(cleanup);
    const out = mkdtempSync(join(tmpdir(), 'bench-point-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const point = composeConfig({ root, overrides: ['scheduler=slurm,flux', 'seed=5'], env: {} }).sweep.points[1]!;
    const path = writePointConfig(join(out, point.id), point);
    expect(readdirSync(join(out, point.id))).toEqual(['config.yaml']);
    const saved = parse(readFileSync(path, 'utf8')) as { id: string; configHash: string; overrides: string[]; config: unknown };
    expect(saved).toMatchObject({ id: 'small-flux-mixed-r0', configHash: point.configHash, overrides: ['seed=5', 'scheduler=flux'] });
    expect(at(saved.config, 'scheduler.kind')).toBe('flux');
    const again = composeConfig({ root, overrides: saved.overrides, env: {} }).sweep.points[0]!;
    expect(again.configHash).toBe(saved.configHash);
  });
});
