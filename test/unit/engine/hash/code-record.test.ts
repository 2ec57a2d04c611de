import { describe, expect, it } from 'vitest';
import { codeRecorder, declaredNames, type CodeGraph } from '../../../../src/engine/hash/code-record.js';

const graph: CodeGraph = {
  entry: 'benchfile.ts',
  digests: { 'benchfile.ts': 'b', 'tasks/a.ts': 'a', 'tasks/io.ts': 'io', 'tasks/m.ts': 'm', 'bench:src/sim/x.ts': 'x', 'npm:zod': '4.0.0' },
  edges: { 'benchfile.ts': ['tasks/a.ts', 'tasks/m.ts'], 'tasks/a.ts': ['tasks/io.ts', 'bench:src/sim/x.ts'], 'tasks/m.ts': ['tasks/io.ts'], 'bench:src/sim/x.ts': ['npm:zod'] },
  declaredIn: { 'a:run': ['tasks/a.ts'], metrics: ['tasks/m.ts'] },
};

describe('codeRecorder', () => {
  it("charges a task with what its declaring module reaches, and nothing of its siblings'", () => {
    const codeOf = codeRecorder(graph);
    expect(codeOf('a:run')).toEqual({ 'tasks/a.ts': 'a', 'tasks/io.ts': 'io', 'bench:src/sim/x.ts': 'x', 'npm:zod': '4.0.0' });
    expect(codeOf('metrics')).toEqual({ 'tasks/m.ts': 'm', 'tasks/io.ts': 'io' });
  });

  it('charges a task declared with a computed name with the whole benchfile, one shared record', () => {
    const codeOf = codeRecorder(graph);
    expect(Object.keys(codeOf('s1:c000001'))).toHaveLength(6);
    expect(codeOf('s1:c000001')).toBe(codeOf('s2:c000001'));
  });

  it('reads declared names from name literals only', () => {
    expect(declaredNames("export const t = { name: 'workload:run', needs: ['x'] };\nconst u = { name: \"metrics\" };\nconst v = { name: 's' + i };")).toEqual(['workload:run', 'metrics']);
  });
});
