import { describe, expect, it } from 'vitest';
import type { SweepPoint } from '../../../../src/engine/config/sweep-point.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import { selectTargets } from '../../../../src/engine/graph/select-targets.js';
import { buildTaskGraph } from '../../../../src/engine/graph/task-graph.js';

/** A point of a size × scheduler sweep with `reps` repetitions, its id parts as the composer makes them. */
function point(size: string, scheduler: string, rep: number, extra: Record<string, unknown> = {}): SweepPoint {
  const config = { size: { name: size }, scheduler: { kind: scheduler }, host: { kind: 'local' }, ...extra };
  const idParts = [{ key: 'size', text: size }, { key: 'scheduler', text: scheduler }];
  return { id: `${size}-${scheduler}-r${rep}`, rep, config, overrides: [], configHash: `${size}${scheduler}`, choices: { size, scheduler, host: 'local' }, swept: {}, idParts };
}
const art = (name: string, extra: Partial<TaskDef> = {}): TaskDef => ({ kind: 'artifact', name, version: 1, async run() {}, ...extra }) as TaskDef;
const res = (name: string, extra: Partial<TaskDef> = {}): TaskDef => ({ kind: 'resource', name, version: 1, async up() { return {}; }, async down() {}, ...extra }) as unknown as TaskDef;

const points = ['small', 'large'].flatMap((size) => ['slurm', 'flux'].flatMap((s) => [0, 1].map((rep) => point(size, s, rep))));
const tasks = [
  art('image:build', { reads: ['host.kind'] }),
  res('cluster:up', { needs: ['image:build'], reads: ['size', 'host'] }),
  res('scheduler:up', { needs: ['cluster:up'], reads: ['scheduler'] }),
  art('run', { needs: ['scheduler:up'], reads: ['scheduler'], repeats: true }),
  art('count', { needs: ['run'], reads: [], repeats: true }),
  art('report', { needs: ['count'], scope: 'sweep' }),
];

const idsOf = (name: string, ps = points) => {
  const { graph } = buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points: ps } });
  return [...graph!.tasks.values()].filter((t) => t.name === name).map((t) => t.id);
};

describe('instance labels name the config an instance depends on', () => {
  it('names resources by the id parts they read and their dependencies read, not by a hash', () => {
    expect(idsOf('image:build')).toEqual(['image:build[all]']);
    expect(idsOf('cluster:up')).toEqual(['cluster:up[small]', 'cluster:up[large]']);
    expect(idsOf('scheduler:up')).toEqual(['scheduler:up[small-slurm]', 'scheduler:up[small-flux]', 'scheduler:up[large-slurm]', 'scheduler:up[large-flux]']);
  });

  it('names repeated tasks by their point, whether they read the parts or inherit them from their dependencies', () => {
    expect(idsOf('run')).toEqual(points.map((p) => `run[${p.id}]`));
    expect(idsOf('count')).toEqual(points.map((p) => `count[${p.id}]`));
    expect(idsOf('report')).toEqual(['report[all]']);
  });

  it('names a one-point run the same way (never `default`)', () => {
    const one = [point('small', 'slurm', 0)];
    expect(idsOf('cluster:up', one)).toEqual(['cluster:up[small]']);
    expect(idsOf('scheduler:up', one)).toEqual(['scheduler:up[small-slurm]']);
    expect(idsOf('image:build', one)).toEqual(['image:build[all]']);
    expect(idsOf('run', one)).toEqual(['run[small-slurm-r0]']);
    expect(idsOf('report', one)).toEqual(['report[all]']);
  });

  it('falls back to the label plus a digest only when two instances would share a name', () => {
    // Two configs of "small" that the id does not tell apart: the readable part stays, a digest separates them.
    const clash = [point('small', 'slurm', 0, { size: { name: 'small', nodes: 4 } }), { ...point('small', 'flux', 0, { size: { name: 'small', nodes: 8 } }), id: 'small-flux-r0' }];
    const ids = idsOf('cluster:up', clash);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^cluster:up\[small~[0-9a-f]{6}\]$/);
  });

  it('keeps selection by label and by config filter working', () => {
    const { graph } = buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points } });
    expect(selectTargets(graph!, ['scheduler:up[large-flux]']).ids).toEqual(['scheduler:up[large-flux]']);
    expect(selectTargets(graph!, ['cluster:up[size.name=large]']).ids).toEqual(['cluster:up[large]']);
  });
});
