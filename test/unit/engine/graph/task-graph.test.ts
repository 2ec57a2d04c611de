import { describe, expect, it } from 'vitest';
import type { SweepPoint } from '../../../../src/engine/config/sweep-point.js';
import type { TaskDef } from '../../../../src/engine/graph/task-def.js';
import { selectTargets } from '../../../../src/engine/graph/select-targets.js';
import { buildTaskGraph } from '../../../../src/engine/graph/task-graph.js';

const point = (id: string, config: Record<string, unknown>, rep = 0): SweepPoint => ({ id, rep, config, overrides: [], configHash: id, choices: {}, swept: {} });
const art = (name: string, extra: Partial<TaskDef> = {}): TaskDef => ({ kind: 'artifact', name, version: 1, async run() {}, ...extra }) as TaskDef;
const points = [
  point('small-slurm-r0', { image: { os: 'debian' }, scheduler: 'slurm', size: 'small' }),
  point('small-flux-r0', { image: { os: 'debian' }, scheduler: 'flux', size: 'small' }),
  point('small-slurm-r1', { image: { os: 'debian' }, scheduler: 'slurm', size: 'small' }, 1),
];

describe('buildTaskGraph', () => {
  const tasks = [
    art('image:build', { reads: ['image'] }),
    art('workload:run', { needs: ['image:build'], reads: ['scheduler', 'size'], repeats: true }),
    art('report:pareto', { needs: ['workload:run'], scope: 'sweep' }),
  ];
  const { graph } = buildTaskGraph({ benchfile: { tasks }, sweep: { base: {}, points } });

  it('merges instances with equal fingerprint inputs: one image serves every point', () => {
    expect([...graph!.tasks.values()].filter((t) => t.name === 'image:build').map((t) => t.id)).toEqual(['image:build[all]']);
  });

  it('keeps repetitions apart and names each instance by its point', () => {
    const runs = [...graph!.tasks.values()].filter((t) => t.name === 'workload:run').map((t) => t.id);
    expect(runs).toEqual(['workload:run[small-slurm-r0]', 'workload:run[small-flux-r0]', 'workload:run[small-slurm-r1]']);
  });

  it('gives a sweep-scoped task one instance depending on every instance of its needs', () => {
    expect(graph!.tasks.get('report:pareto[all]')?.deps).toHaveLength(3);
    expect(graph!.order.at(-1)).toBe('report:pareto[all]');
  });

  it('selects by name plus point filter on dotted key paths', () => {
    expect(selectTargets(graph!, ['workload:run[scheduler=slurm]']).ids).toEqual(['workload:run[small-slurm-r0]', 'workload:run[small-slurm-r1]']);
    expect(selectTargets(graph!, ['image:build[image.os=debian]']).ids).toEqual(['image:build[all]']);
    expect(selectTargets(graph!, ['workload:run[scheduler=pbs]']).diagnostics[0]?.message).toContain('matches no instance');
  });

  it('reports unknown needs and duplicate names together, located in the benchfile', () => {
    const text = "export default {\n  tasks: [\n    { name: 'a:x', needs: ['a:y'] },\n    { name: 'a:x' },\n  ]\n}";
    const r = buildTaskGraph({ benchfile: { tasks: [art('a:x', { needs: ['a:y'] }), art('a:x')] }, sweep: { base: {}, points }, source: { file: 'benchfile.ts', text } });
    expect(r.graph).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message).sort()).toEqual(['duplicate task name "a:x"', 'task "a:x" needs unknown task "a:y"']);
    expect(r.diagnostics.every((d) => d.line === 3)).toBe(true);
  });
});

describe('selectTargets: tasks that join a target', () => {
  const joinsWhen = (on: boolean) => ({ target: 'report:pareto', when: (c: Record<string, unknown>) => (c['export'] === 'on') === on });
  const graphWith = (exportSetting: string) => buildTaskGraph({
    benchfile: {
      tasks: [
        art('workload:run', { reads: ['scheduler'] }),
        art('report:pareto', { needs: ['workload:run'], scope: 'sweep' }),
        art('export:runs', { needs: ['report:pareto'], reads: ['export'], scope: 'sweep', joins: joinsWhen(true) }),
      ],
    },
    sweep: { base: {}, points: [point('a-r0', { scheduler: 'slurm', export: exportSetting })] },
  }).graph!;
  // Instance labels are the graph's business; these tests look at which tasks were selected.
  const names = (exportSetting: string, specs: string[]) => {
    const graph = graphWith(exportSetting);
    return selectTargets(graph, specs).ids.map((id) => graph.tasks.get(id)?.name);
  };

  it('adds the joining task when its target is selected and its condition holds', () => {
    expect(names('on', ['report:pareto'])).toEqual(['report:pareto', 'export:runs']);
  });

  it('leaves it out when the condition fails, with or without named targets', () => {
    expect(names('off', ['report:pareto'])).toEqual(['report:pareto']);
    expect(names('off', [])).toEqual(['workload:run', 'report:pareto']);
    expect(names('on', [])).toEqual(['workload:run', 'report:pareto', 'export:runs']);
  });

  it('still runs when named explicitly, whatever the condition', () => {
    expect(names('off', ['export:runs'])).toEqual(['export:runs']);
  });

  it('reads only the points where its condition holds, in a sweep that mixes both', () => {
    const graph = buildTaskGraph({
      benchfile: {
        tasks: [
          art('client:run', { reads: ['service'] }),
          art('report:pareto', { scope: 'sweep' }),
          art('report:services', { needs: ['report:pareto', 'client:run'], scope: 'sweep', joins: { target: 'report:pareto', when: (c) => c['service'] !== 'none' } }),
        ],
      },
      sweep: { base: {}, points: [point('none-r0', { service: 'none' }), point('redis-r0', { service: 'redis' })] },
    }).graph!;
    const section = [...graph.tasks.values()].find((t) => t.name === 'report:services')!;
    const clientDeps = section.deps.map((d) => graph.tasks.get(d)!).filter((t) => t.name === 'client:run');
    expect(clientDeps.map((t) => t.config['service'])).toEqual(['redis']);
    expect(selectTargets(graph, ['report:pareto']).ids.map((id) => graph.tasks.get(id)?.name)).toEqual(['report:pareto', 'report:services']);
  });
});
