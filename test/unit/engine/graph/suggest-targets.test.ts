import { describe, expect, it } from 'vitest';
import { didYouMeanTargets, suggestTargets } from '../../../../src/engine/graph/suggest-targets.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import type { Task as GraphTask, TaskGraph } from '../../../../src/engine/graph/task-graph.js';

function graphOf(ids: string[]): TaskGraph {
  const tasks = new Map<string, GraphTask>();
  const defs = new Map<string, TaskDef>();
  for (const id of ids) {
    const name = id.split('[')[0] ?? id;
    tasks.set(id, { id, name, label: id, def: {} as TaskDef, points: [], rep: undefined, config: {}, deps: [] });
    defs.set(name, {} as TaskDef);
  }
  return { tasks, order: ids, defs, byPoint: new Map() };
}

const G = graphOf([
  'cluster:provision[small]', 'workload:run[small-slurm-mixed-r0]', 'workload:run[small-slurm-mixed-r1]',
  'workload:run[small-flux-mixed-r0]', 'report:pareto[all]',
]);

describe('did you mean, for targets', () => {
  it('suggests the closest task names for a misspelled name', () => {
    expect(suggestTargets(G, 'workload:rn')).toEqual(['workload:run']);
    expect(didYouMeanTargets(G, 'report:paretto')).toBe('did you mean "report:pareto"?');
  });

  it('suggests the closest instance ids for a misspelled id, nearest first', () => {
    expect(suggestTargets(G, 'workload:run[small-slurm-mixd-r0]')).toEqual([
      'workload:run[small-slurm-mixed-r0]', 'workload:run[small-slurm-mixed-r1]', 'workload:run[small-flux-mixed-r0]',
    ]);
    expect(didYouMeanTargets(G, 'workload:run[small-slurm-mixd-r0]')).toBe(
      'did you mean "workload:run[small-slurm-mixed-r0]", "workload:run[small-slurm-mixed-r1]" or "workload:run[small-flux-mixed-r0]"?',
    );
  });

  it('falls back to instances of the nearest task when no id is near, and to nothing when no name is', () => {
    expect(suggestTargets(G, 'cluster:provison[huge-and-unknown]')).toEqual(['cluster:provision[small]']);
    expect(didYouMeanTargets(G, 'zzzzzz')).toBeUndefined();
  });
});
