/** volcano-scheduler.conf from the config: what Volcano reads back, and what it would silently drop. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubernetesSchedulerSchema } from '../../../../../src/hpc/backends/kubernetes/config-schema.js';
import { renderVolcanoConf, volcanoConfProblems, type VolcanoConfig } from '../../../../../src/hpc/backends/kubernetes/volcano-conf.js';

const root = resolve(import.meta.dirname, '../../../../..');
const shipped = parse(readFileSync(join(root, 'conf/scheduler/kubernetes.yaml'), 'utf8')) as { volcano: VolcanoConfig };

describe('volcano-scheduler.conf', () => {
  it('the shipped config renders the actions line and tiers Volcano reads (as tools/kubernetes/config/volcano-scheduler.conf)', () => {
    const text = renderVolcanoConf(shipped.volcano);
    const reference = parse(readFileSync(join(root, 'tools/kubernetes/config/volcano-scheduler.conf'), 'utf8')) as unknown;
    expect(parse(text)).toEqual(reference);
  });

  it('keeps plugin switches and arguments', () => {
    const v: VolcanoConfig = { actions: ['enqueue', 'allocate'], tiers: [{ plugins: [{ name: 'binpack', enableNodeOrder: true, arguments: { 'binpack.weight': 10, 'binpack.resources': 'nvidia.com/gpu' } }] }] };
    expect(parse(renderVolcanoConf(v))).toEqual({ actions: 'enqueue, allocate', tiers: [{ plugins: [{ name: 'binpack', enableNodeOrder: true, arguments: { 'binpack.weight': 10, 'binpack.resources': 'nvidia.com/gpu' } }] }] });
  });

  it('names each key Volcano would drop or misread, all at once', () => {
    const v = { actions: ['enqueue', 'allocate, preempt'], tiers: [{ plugins: [{ name: 'gang', enableJobOrdr: true }, { name: 'drf', enableHierarchy: 'yes', arguments: { w: null } }] }] } as unknown as VolcanoConfig;
    expect(volcanoConfProblems(v).map((p) => p.key)).toEqual([
      'scheduler.volcano.actions[1]',
      'scheduler.volcano.tiers[0].plugins[0].enableJobOrdr',
      'scheduler.volcano.tiers[0].plugins[1].enableHierarchy',
      'scheduler.volcano.tiers[0].plugins[1].arguments',
    ]);
    expect(() => renderVolcanoConf(v)).toThrow(/enableJobOrdr/);
  });

  it('the config schema refuses an unknown plugin key at validation time, before anything runs', () => {
    const bad = { kind: 'kubernetes', volcano: { actions: ['allocate'], tiers: [{ plugins: [{ name: 'gang', enableJobOrdr: true }] }] } };
    const r = KubernetesSchedulerSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(KubernetesSchedulerSchema.safeParse({ kind: 'kubernetes', ...shipped, kubernetes_scheduler: 'default' }).success).toBe(true);
    expect(KubernetesSchedulerSchema.safeParse({ kind: 'kubernetes', ...shipped, kubernetes_scheduler: 'slurm' }).success).toBe(false);
  });
});
