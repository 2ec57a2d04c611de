/**
 * `report:fidelity`: for every point run on a real backend, how far its simulated twin (the same
 * point with provider=sim) is from it, per metric. Sweep `provider=sim,netns` to get both.
 */
import { defineTask } from 'bench';
import { metricsByPoint, writeJson } from './io.js';

export const reportFidelity = defineTask({
  kind: 'artifact',
  name: 'report:fidelity',
  version: 1,
  description: 'Compare each real-scheduler point with the simulator on the same config, per metric',
  needs: ['metrics'],
  reads: [],
  scope: 'sweep',
  publish: ['fidelity.txt', 'fidelity.json'],
  summary: 'fidelity.txt',
  async run(ctx) {
    const { compareFidelity, formatFidelity } = await import('bench/metrics');
    const result = compareFidelity((await metricsByPoint(ctx)).map(({ point, runs }) => ({
      pointId: point.id.replace(/-r\d+$/, ''), config: point.config, runs,
    })));
    await writeJson(ctx.outDir, 'fidelity.json', result);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${ctx.outDir}/fidelity.txt`, `Simulator fidelity (results/fidelity.json):\n${formatFidelity(result)}`);
  },
});
