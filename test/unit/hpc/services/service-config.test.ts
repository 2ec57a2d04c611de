import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeBenchConfig } from '../../../../src/hpc/config/compose-bench.js';

const root = join(import.meta.dirname, '../../../..');
const compose = (...overrides: string[]) => composeBenchConfig({ root, overrides: ['experiment=none', 'repetitions=1', ...overrides] });

describe('service and client groups in the composed config', () => {
  it('name the service and client in point ids only when one is chosen, so two services never share a cache entry', () => {
    expect(compose().sweep.points.map((p) => p.id)).toEqual(['small-slurm-mixed-r0']);
    const ids = compose('service=redis', 'client=redis', 'client.concurrency=1,8,32').sweep.points.map((p) => p.id);
    expect(ids).toEqual(['small-slurm-mixed-redis-redis-concurrency=1-r0', 'small-slurm-mixed-redis-redis-concurrency=8-r0', 'small-slurm-mixed-redis-redis-concurrency=32-r0']);
    expect(compose('service=nginx', 'client=nginx').sweep.points.map((p) => p.id)).toEqual(['small-slurm-mixed-nginx-nginx-r0']);
  });

  it('sweeps recipe keys and pairs services with their clients', () => {
    const pts = compose('zip(service=redis,nginx;client=redis,nginx)').sweep.points;
    expect(pts.map((p) => [p.config['service'] as { kind: string }, p.config['client'] as { kind: string }].map((g) => g.kind))).toEqual([['redis', 'redis-benchmark'], ['nginx', 'wrk']]);
  });

  it('reports every bad recipe value at once, located at the file and key that set it', () => {
    const { diagnostics } = compose('service=redis', 'client=nginx', 'service.port=0', 'client.threads=x');
    const text = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file ?? ''}:${d.line ?? ''} ${d.keyPath ?? ''} ${d.message}`);
    expect(text).toEqual(expect.arrayContaining([
      expect.stringMatching(/service\.port .*>= ?1|service\.port/),
      expect.stringMatching(/client\.threads/),
      expect.stringMatching(/conf\/client\/nginx\.yaml:\d+ client\.service .*"redis"/),
    ]));
    expect(text).toHaveLength(3);
  });
});
