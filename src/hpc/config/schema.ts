/**
 * Zod schemas for each config group and for the composed config. Every object is closed: an
 * unknown key is an error with a "did you mean" hint, because a silently ignored typo costs hours
 * of machine time. Scheduler keys are checked against the real key lists of each scheduler.
 */
import { z } from 'zod';
import { ALWAYS, closedObject } from '../../engine/config/closed-object.js';
import type { KindSchema } from '../backends/descriptor.js';
import { combinationProblem, PROVIDERS, PROVIDER_KINDS, SCHEDULERS, SCHEDULER_KINDS, schedulersOn } from '../backends/registry.js';
import { count, opt, positive } from '../backends/schema-fields.js';
import { TrackingSchema, TRACKING_KINDS } from '../tracking/tracking-schema.js';
import { checkClientTarget, ClientSchema, ServiceSchema, SERVICE_DISCRIMINATORS } from '../services/recipe-schema.js';
import { EXECUTOR_KINDS, ExecutorSchema } from '../executor/executor-schema.js';

export { SlurmSchedulerSchema } from '../backends/slurm/config-schema.js';
export { FluxSchedulerSchema } from '../backends/flux/config-schema.js';
export { KubernetesSchedulerSchema, VOLCANO_ACTIONS, VOLCANO_PLUGINS } from '../backends/kubernetes/config-schema.js';

export const TopologySchema = closedObject({
  name: z.string(),
  // Compute nodes taken from the workload trace's SWF header when composed (hpc/workload/trace-topology.ts).
  from_trace: opt(z.boolean()),
  head_nodes: closedObject({ count, vcpus: count, memory_gib: positive }),
  compute_nodes: closedObject({ count, vcpus: count, memory_gib: positive, gpus: count }),
  network: opt(closedObject({ fabric: opt(z.string()), bandwidth_gbps: opt(positive), latency_us: opt(positive) })),
  storage: opt(closedObject({ shared: opt(z.string()), size_gib: opt(positive) })),
});
export type Topology = z.infer<typeof TopologySchema>;

/** The config schemas of a descriptor list, keeping each one's type (for a precise union). */
type SchemasOf<T extends readonly { configSchema: KindSchema }[]> = { -readonly [K in keyof T]: T[K]['configSchema'] };
function schemasOf<T extends readonly { configSchema: KindSchema }[]>(list: T): SchemasOf<T> {
  return list.map((d) => d.configSchema) as SchemasOf<T>;
}

/** One member per scheduler descriptor (src/hpc/backends/registry.ts): a new scheduler is an entry there. */
export const SchedulerSchema = z.discriminatedUnion('kind', schemasOf(SCHEDULERS));
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
  too_wide: opt(z.enum(['drop', 'clamp'])),
});
export const WorkloadSchema = z.discriminatedUnion('kind', [GeneratedWorkloadSchema, TraceWorkloadSchema]);
export type WorkloadConfig = z.infer<typeof WorkloadSchema>;

/** One member per provider descriptor (src/hpc/backends/registry.ts). */
export const ProviderSchema = z.discriminatedUnion('kind', schemasOf(PROVIDERS));
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
  'scheduler.kind': SCHEDULER_KINDS,
  'workload.kind': ['generated', 'trace'],
  'provider.kind': PROVIDER_KINDS,
  'image.builder': ['debian', 'nix', 'none'],
  'tracking.kind': TRACKING_KINDS,
  ...SERVICE_DISCRIMINATORS,
  'executor.kind': EXECUTOR_KINDS,
};

/** The composed config (one sweep point, or the base before expansion). */
export const ConfigSchema = closedObject({
  topology: opt(TopologySchema),
  scheduler: opt(SchedulerSchema),
  workload: opt(WorkloadSchema),
  provider: opt(ProviderSchema),
  image: opt(ImageSchema),
  tracking: opt(TrackingSchema),
  // Services and their benchmark clients as SLURM jobs (src/hpc/services/).
  service: opt(ServiceSchema),
  client: opt(ClientSchema),
  // Where tasks run; taken out of every point before fingerprints (src/hpc/executor/).
  executor: opt(ExecutorSchema),
  seed: opt(z.number().int()),
  repetitions: opt(z.number().int().positive()),
  objectives: opt(z.array(closedObject({ metric: z.string(), direction: z.enum(['min', 'max']) }))),
  // Report settings: fronts within groups of points (default by workload) and the cost objective.
  report: opt(closedObject({ group_by: opt(z.array(z.string().min(1))), cost: opt(z.enum(['node_hours', 'core_hours', 'none'])) })),
  budget: opt(closedObject({ cpus: opt(auto), memory_gib: opt(auto), pools: opt(z.record(z.string(), count)) })),
  scheduler_resource_mapping: opt(z.record(z.string(), z.record(z.string(), z.string()))),
  sweep: opt(SweepSchema),
}).superRefine(checkCombinationBuilt, ALWAYS).superRefine(checkClientTarget, ALWAYS);
export type Config = z.infer<typeof ConfigSchema>;

/**
 * A scheduler on a provider it is not built for fails here, while the config is checked, not
 * after the cluster has been provisioned; which combinations are built comes from the descriptors.
 */
function checkCombinationBuilt(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  const kindOf = (group: unknown): unknown => (group && typeof group === 'object' ? (group as { kind?: unknown }).kind : undefined);
  const provider = kindOf(value['provider']);
  const scheduler = kindOf(value['scheduler']);
  if (typeof provider !== 'string' || typeof scheduler !== 'string') return;
  const problem = combinationProblem(provider, scheduler);
  if (problem) ctx.addIssue({ code: 'custom', path: ['scheduler', 'kind'], message: problem, params: { expected: `a scheduler built for provider ${provider} (${schedulersOn(provider).join(', ') || 'none yet'})` } });
}
