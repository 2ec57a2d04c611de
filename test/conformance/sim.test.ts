/** The simulator playing every scheduler that has a simulator preset, on provider `sim`. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SCHEDULERS, schedulerFor, providerFor } from '../../src/hpc/backends/registry.js';
import type { Provider, Scheduler, Topology } from '../../src/hpc/backends/types.js';
import { describeSchedulerConformance } from './scheduler-conformance.js';

const root = resolve(import.meta.dirname, '../..');
const topology: Topology = { name: 'conformance', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 4, memory_gib: 4, gpus: 0 } };

for (const d of SCHEDULERS.filter((s) => s.simPreset)) {
  describeSchedulerConformance({
    name: `simulated ${d.kind}`,
    requires: [],
    timeScale: 1,
    slackS: 1e-9,
    enforcesTimeLimit: true,
    timeoutMs: 30_000,
    async setUp(ctx) {
      const provider = (await providerFor('sim')) as Provider;
      const scheduler = (await schedulerFor('sim', d.kind)) as Scheduler;
      const cluster = await provider.up(topology, { kind: 'sim' }, ctx);
      const config = parse(readFileSync(join(root, `conf/scheduler/${d.kind}.yaml`), 'utf8')) as Record<string, unknown>;
      const handle = await scheduler.configure(cluster, config, ctx);
      return {
        scheduler, handle,
        async tearDown() { await scheduler.stop(handle, ctx); await provider.down(cluster, ctx); },
        // Nothing of a simulated cluster lives outside this process.
        async leftovers() { return []; },
      };
    },
  });
}
