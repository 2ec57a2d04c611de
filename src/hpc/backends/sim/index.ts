/**
 * The embedded backend: provider `sim` creates virtual hosts from the topology, and the simulated
 * scheduler replays jobs through the discrete-event simulator with the preset of the configured
 * scheduler (slurm, flux or kubernetes + volcano).
 */
import type { Preset } from '../../sim/presets.js';
import { simulate, type SimSeries } from '../../sim/simulate.js';
import { schedulerDescriptor } from '../registry.js';
import type { Cluster, Host, Provider, Scheduler, Topology } from '../types.js';

/** The simulator's policy for a scheduler config, from that scheduler's descriptor. */
function presetFor(config: Record<string, unknown>): Preset {
  const simPreset = schedulerDescriptor(String(config['kind']))?.simPreset;
  if (!simPreset) throw new Error(`no simulator preset for scheduler kind ${String(config['kind'])}`);
  return simPreset(config);
}

function hosts(t: Topology): Host[] {
  const out: Host[] = [];
  const add = (role: Host['role'], prefix: string, n: { count: number; vcpus: number; memory_gib: number }, gpus: number) => {
    for (let i = 0; i < n.count; i++) out.push({ name: `${prefix}${i + 1}`, role, address: '', port: 0, user: '', cpus: n.vcpus, memoryMiB: n.memory_gib * 1024, gpus });
  };
  add('head', 'head', t.head_nodes, 0);
  add('compute', 'c', t.compute_nodes, t.compute_nodes.gpus);
  return out;
}

export const simProvider: Provider = {
  kind: 'sim',
  async up(topology): Promise<Cluster> {
    return { provider: 'sim', hosts: hosts(topology), data: { topology: topology.name } };
  },
  async down() {},
};

export const simScheduler: Scheduler = {
  kind: 'sim',
  async configure(cluster, config) {
    // Validates the preset now, so a bad scheduler config fails at configure time.
    presetFor(config);
    return { kind: 'sim', cluster, data: { config } };
  },
  async run(handle, jobs) {
    const { policy, warnings } = presetFor(handle.data['config'] as Record<string, unknown>);
    const nodes = handle.cluster.hosts.filter((h) => h.role === 'compute').map((h) => ({ cores: h.cpus, gpus: h.gpus }));
    const r = simulate(jobs, nodes, policy);
    return { jobs: r.jobs.toArray(), warnings, settings: { policy }, view: { series: plainSeries(r.series), fragmentation: r.fragmentation, backfilled: r.backfilled } };
  },
  async stop() {},
};

/** The series as plain arrays, as series.json holds them (typed arrays would be written as objects). */
function plainSeries(s: SimSeries): { t: number[]; queued: number[]; busyCores: number[]; busyGpus: number[] } {
  return { t: Array.from(s.t), queued: Array.from(s.queued), busyCores: Array.from(s.busyCores), busyGpus: Array.from(s.busyGpus) };
}
