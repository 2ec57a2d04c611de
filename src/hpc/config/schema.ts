/**
 * Zod schemas for each config group and for the composed config. Every object is closed: an
 * unknown key is an error with a "did you mean" hint, because a silently ignored typo costs hours
 * of machine time. Scheduler keys are checked against the real key lists of each scheduler.
 */
import { z } from 'zod';
import type { Topology as BackendTopology } from '../backends/types.js';
import { ALWAYS, closedObject } from '../../engine/config/closed-object.js';
import { SLURM_CONF_KEYS, SLURM_OBSOLETE_KEYS, SLURM_SCHEDULER_PARAMETERS, SLURM_TYPED_KEYS } from '../backends/slurm/slurm-keys.js';

const count = z.number().int().nonnegative();
const positive = z.number().positive();
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const opt = <T extends z.ZodType>(t: T) => z.exactOptional(t);

export const TopologySchema = closedObject({
  name: z.string(),
  head_nodes: closedObject({ count, vcpus: count, memory_gib: positive }),
  compute_nodes: closedObject({ count, vcpus: count, memory_gib: positive, gpus: count }),
  network: opt(closedObject({ fabric: opt(z.string()), bandwidth_gbps: opt(positive), latency_us: opt(positive) })),
  storage: opt(closedObject({ shared: opt(z.string()), size_gib: opt(positive) })),
});
export type Topology = z.infer<typeof TopologySchema>;

/** slurm.conf keys as written to slurm.conf; SchedulerParameters as a map of its documented sub-keys. */
export const SlurmSchedulerSchema = closedObject(
  {
    kind: z.literal('slurm'),
    // bench's own settings for a real SLURM run; never written to slurm.conf.
    manage: opt(z.boolean()),
    payload: opt(z.enum(['sleep', 'stress-ng'])),
    sample_interval_s: opt(positive),
    // squeue polling backs off from the first to the second while the queue does not change.
    poll_min_s: opt(positive),
    poll_max_s: opt(positive),
    ready_timeout_s: opt(positive),
    submit_memory: opt(z.boolean()),
    partition: opt(z.string().min(1)),
    SchedulerParameters: opt(
      closedObject(
        Object.fromEntries(SLURM_SCHEDULER_PARAMETERS.map((k) => [k, opt(scalar)])),
        { label: 'SchedulerParameters option' },
      ),
    ),
  },
  { extraKeys: [...SLURM_CONF_KEYS, ...SLURM_OBSOLETE_KEYS], ignoreCase: true, label: 'slurm.conf key' },
)
  .catchall(z.union([scalar, z.null()]))
  .superRefine(checkSlurmValueTypes, ALWAYS)
  .superRefine(checkPollRange, ALWAYS);

const OBSOLETE = new Set(SLURM_OBSOLETE_KEYS.map((k) => k.toLowerCase()));
const TYPED = new Map(Object.entries(SLURM_TYPED_KEYS).map(([k, t]) => [k.toLowerCase(), t]));
const BOOL_WORDS = /^(yes|up|true|1|no|down|false|0)$/i;

/** Values the slurm.conf parser would reject for its integer and boolean keys. */
function checkSlurmValueTypes(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  for (const [key, v] of Object.entries(value)) {
    if (OBSOLETE.has(key.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is obsolete: slurm.conf.5 (22.05) no longer documents it`, params: { severity: 'warning' } });
    }
    const type = TYPED.get(key.toLowerCase());
    if (type === 'uint' && !(Number.isInteger(v) && (v as number) >= 0) && !(typeof v === 'string' && /^\d+$/.test(v))) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'slurm.conf expects an unsigned integer here', params: { expected: 'unsigned integer' } });
    }
    if (type === 'boolean' && typeof v !== 'boolean' && !BOOL_WORDS.test(String(v))) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'slurm.conf expects a boolean here', params: { expected: 'YES or NO' } });
    }
  }
}

function checkPollRange(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  const { poll_min_s: min, poll_max_s: max } = value;
  if (typeof min === 'number' && typeof max === 'number' && max < min) {
    ctx.addIssue({ code: 'custom', path: ['poll_max_s'], message: `poll_max_s must be at least poll_min_s (${min})`, params: { expected: `a number >= ${min}` } });
  }
}

/** Keys of flux-config-sched-fluxion-qmanager(5) and flux-config-sched-fluxion-resource(5). */
export const FluxSchedulerSchema = closedObject({
  kind: z.literal('flux'),
  'queue-policy': opt(z.enum(['fcfs', 'easy', 'hybrid', 'conservative'])),
  'queue-params': opt(closedObject({ 'queue-depth': opt(count), 'max-queue-depth': opt(count) })),
  'policy-params': opt(closedObject({ 'reservation-depth': opt(count), 'max-reservation-depth': opt(count) })),
  'match-policy': opt(z.enum(['low', 'high', 'lonode', 'hinode', 'lonodex', 'hinodex', 'first', 'firstnodex'])),
  'match-format': opt(z.string()),
  'load-allowlist': opt(z.string()),
  'reserve-vtx-vec': opt(count),
  'prune-filters': opt(z.string()),
});

/** Actions registered by the Volcano scheduler (v1.15) and the plugins of its user guide. */
export const VOLCANO_ACTIONS = ['enqueue', 'allocate', 'backfill', 'preempt', 'reclaim', 'shuffle', 'gangpreempt', 'gangreclaim'] as const;
export const VOLCANO_PLUGINS = [
  'binpack', 'capacity', 'conformance', 'drf', 'extender', 'gang', 'network-topology-aware', 'nodeorder', 'numaaware',
  'overcommit', 'predicates', 'priority', 'proportion', 'reservation', 'sla', 'task-topology', 'tdm',
] as const;

const VolcanoPlugin = z.looseObject({ name: z.enum(VOLCANO_PLUGINS) });
export const KubernetesSchedulerSchema = closedObject({
  kind: z.literal('kubernetes'),
  volcano: closedObject({
    actions: z.array(z.enum(VOLCANO_ACTIONS)).min(1),
    tiers: z.array(closedObject({ plugins: z.array(VolcanoPlugin) })),
    queues: opt(z.array(closedObject({ name: z.string(), weight: opt(count), reclaimable: opt(z.boolean()), capability: opt(z.record(z.string(), scalar)) }))),
  }),
});

export const SchedulerSchema = z.discriminatedUnion('kind', [SlurmSchedulerSchema, FluxSchedulerSchema, KubernetesSchedulerSchema]);
export type SchedulerConfig = z.infer<typeof SchedulerSchema>;

const range = closedObject({ min: z.number(), max: z.number() });
export const GeneratedWorkloadSchema = closedObject({
  kind: z.literal('generated'),
  jobs: count,
  users: count,
  arrival: closedObject({ process: z.literal('poisson'), mean_interarrival_s: positive }),
  cores: closedObject({ dist: z.enum(['log2_uniform', 'uniform']), min: count, max: count }),
  gpus_per_job: closedObject({ probability: z.number().min(0).max(1), max: count }),
  runtime_s: closedObject({ dist: z.literal('lognormal'), median: positive, sigma: z.number().nonnegative(), max: positive }),
  walltime: closedObject({ overestimate_factor: range }),
  memory_mib_per_core: positive,
});
export const TraceWorkloadSchema = closedObject({
  kind: z.literal('trace'),
  path: z.string(),
  skip: opt(count),
  limit: opt(count),
  time_scale: opt(positive),
  users_from_trace: opt(z.boolean()),
});
export const WorkloadSchema = z.discriminatedUnion('kind', [GeneratedWorkloadSchema, TraceWorkloadSchema]);
export type WorkloadConfig = z.infer<typeof WorkloadSchema>;

const subnet = z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'a CIDR subnet like 10.77.0.0/24');
export const ProviderSchema = z.discriminatedUnion('kind', [
  closedObject({ kind: z.literal('sim') }),
  closedObject({
    kind: z.literal('netns'), subnet, bridge: z.string(), scale_to_host: opt(z.boolean()), time_scale: opt(positive),
    state_dir: opt(z.string()), ready_timeout_s: opt(positive),
  }),
  closedObject({
    // Only the system daemon: the provider's bridges and taps, and libvirt's PID files under /run,
    // need it. Only direct kernel boot (kernel and initrd from the image) is built.
    kind: z.literal('libvirt'), uri: z.literal('qemu:///system'), accel: z.enum(['auto', 'kvm', 'tcg']), cpu_mode: opt(z.string()),
    pin_vcpus: opt(z.boolean()), hugepages: opt(z.boolean()), boot: opt(z.literal('direct-kernel')),
    scale_to_host: opt(z.boolean()), subnet: opt(subnet), time_scale: opt(positive),
    runtime: opt(z.enum(['auto', 'libvirt', 'qemu'])), tcg_cpu_model: opt(z.string()), state_dir: opt(z.string()), ready_timeout_s: opt(positive),
  }),
  closedObject({
    kind: z.literal('ssh'), hosts: z.array(z.string()).min(1), user: z.string(), key: z.string(),
    port: opt(z.number().int().min(1).max(65535)), manage_scheduler: opt(z.boolean()), time_scale: opt(positive),
    known_hosts: opt(z.string()), host_keys: opt(z.record(z.string(), z.string())),
  }),
]);
export type ProviderConfig = z.infer<typeof ProviderSchema>;

export const ImageSchema = z.discriminatedUnion('builder', [
  closedObject({
    builder: z.literal('debian'), suite: z.string(), variant: opt(z.string()), mirror: opt(z.string()),
    packages: opt(z.array(z.string())), size_gib: opt(positive),
  }),
  closedObject({ builder: z.literal('nix'), flake: z.string() }),
  closedObject({ builder: z.literal('none') }),
]);
export type ImageConfig = z.infer<typeof ImageSchema>;

const auto = z.union([z.literal('auto'), positive]);
/** `sweep` as declared by an experiment: params map a group to its options or a key to values. */
export const SweepSchema = closedObject({
  mode: z.enum(['product', 'zip', 'mapped']),
  params: z.record(z.string(), z.array(z.unknown())),
});

/** Allowed discriminator values per group, for "expected one of" in errors about an unknown kind. */
export const DISCRIMINATORS: Readonly<Record<string, readonly string[]>> = {
  'scheduler.kind': ['slurm', 'flux', 'kubernetes'],
  'workload.kind': ['generated', 'trace'],
  'provider.kind': ['sim', 'netns', 'libvirt', 'ssh'],
  'image.builder': ['debian', 'nix', 'none'],
};

/** The composed config (one sweep point, or the base before expansion). */
export const ConfigSchema = closedObject({
  topology: opt(TopologySchema),
  scheduler: opt(SchedulerSchema),
  workload: opt(WorkloadSchema),
  provider: opt(ProviderSchema),
  image: opt(ImageSchema),
  seed: opt(z.number().int()),
  repetitions: opt(z.number().int().positive()),
  objectives: opt(z.array(closedObject({ metric: z.string(), direction: z.enum(['min', 'max']) }))),
  budget: opt(closedObject({ cpus: opt(auto), memory_gib: opt(auto), pools: opt(z.record(z.string(), count)) })),
  scheduler_resource_mapping: opt(z.record(z.string(), z.record(z.string(), z.string()))),
  sweep: opt(SweepSchema),
});
export type Config = z.infer<typeof ConfigSchema>;

// Compile-time check: the topology group must stay usable wherever backends take a Topology.
const topologyFits = (t: Topology): BackendTopology => t;
void topologyFits;
