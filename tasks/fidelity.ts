/**
 * `report:fidelity`: for every point run on a real backend, how far its simulated twin (the same
 * point with provider=sim) is from it, per metric. Sweep `provider=sim,netns` to get both.
 */
import type { ArtifactTaskDef, SweepPoint } from 'bench';
import { readJson, writeJson } from './io.js';

export const reportFidelity: ArtifactTaskDef = {
  kind: 'artifact',
  name: 'report:fidelity',
  version: 1,
  description: 'Compare each real-scheduler point with the simulator on the same config, per metric',
  needs: ['metrics'],
  scope: 'sweep',
  publish: ['fidelity.txt', 'fidelity.json'],
  summary: 'fidelity.txt',
  async run(ctx) {
    const { compareFidelity, formatFidelity } = await import('bench/metrics/fidelity.js');
    const pointById = new Map(ctx.points.map((p) => [p.id, p]));
    const byHash = new Map<string, { point: SweepPoint; runs: Record<string, number>[] }>();
    for (const dep of ctx.deps['metrics'] ?? []) {
      const point = pointById.get(dep.pointIds[0] ?? '');
      if (!point) continue;
      const entry = byHash.get(point.configHash) ?? { point, runs: [] };
      entry.runs.push(await readJson<Record<string, number>>(dep.dir, 'metrics.json'));
      byHash.set(point.configHash, entry);
    }
    const result = compareFidelity([...byHash.values()].map(({ point, runs }) => ({
      pointId: point.id.replace(/-r\d+$/, ''), config: point.config, runs,
    })));
    await writeJson(ctx.outDir, 'fidelity.json', result);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${ctx.outDir}/fidelity.txt`, `Simulator fidelity (results/fidelity.json):\n${formatFidelity(result)}`);
  },
};
