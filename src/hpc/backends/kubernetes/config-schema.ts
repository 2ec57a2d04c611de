/** The `scheduler` group for Kubernetes + Volcano: real on netns hosts, or played by the simulator. */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { count, opt, positive, scalar } from '../schema-fields.js';

/** Actions registered by the Volcano scheduler (v1.15) and the plugins of its user guide. */
export const VOLCANO_ACTIONS = ['enqueue', 'allocate', 'backfill', 'preempt', 'reclaim', 'shuffle', 'gangpreempt', 'gangreclaim'] as const;
export const VOLCANO_PLUGINS = [
  'binpack', 'capacity', 'conformance', 'drf', 'extender', 'gang', 'network-topology-aware', 'nodeorder', 'numaaware',
  'overcommit', 'predicates', 'priority', 'proportion', 'reservation', 'sla', 'task-topology', 'tdm',
] as const;

/**
 * The switches of Volcano's `PluginOption` (pkg/scheduler/conf/scheduler_conf.go, v1.14.1, spelled as its yaml tags): every other key of a
 * plugin entry would be dropped by Volcano's YAML decoder without a word, so the schema refuses it.
 */
export const VOLCANO_PLUGIN_SWITCHES = [
  'enableJobOrder', 'enableHierarchy', 'enableJobReady', 'enableJobPipelined', 'enableTaskOrder', 'enablePreemptable',
  'enableReclaimable', 'enablePreemptive', 'enableQueueOrder', 'EnabledClusterOrder', 'enablePredicate', 'enableBestNode',
  'enableNodeOrder', 'enableTargetJob', 'enableReservedNodes', 'enableJobEnqueued', 'enabledVictim', 'enableJobStarving',
  'enabledOverused', 'enabledAllocatable', 'enabledHyperNodeOrder', 'enabledSubJobReady', 'enabledSubJobPipelined',
  'enabledSubJobOrder', 'enabledHyperNodeGradient',
] as const;

/** A plugin argument: what Volcano's `Arguments` (map[string]interface{}) reads back — scalars, lists and maps of them. */
const argument: z.ZodType<unknown> = z.lazy(() => z.union([scalar, z.array(argument), z.record(z.string(), argument)]));

const VolcanoPlugin = closedObject({
  name: z.enum(VOLCANO_PLUGINS),
  arguments: opt(z.record(z.string(), argument)),
  ...Object.fromEntries(VOLCANO_PLUGIN_SWITCHES.map((k) => [k, opt(z.boolean())])),
});

export const KubernetesSchedulerSchema = closedObject({
  kind: z.literal('kubernetes'),
  volcano: closedObject({
    actions: z.array(z.enum(VOLCANO_ACTIONS)).min(1),
    tiers: z.array(closedObject({ plugins: z.array(VolcanoPlugin) })),
    queues: opt(z.array(closedObject({ name: z.string(), weight: opt(count), reclaimable: opt(z.boolean()), capability: opt(z.record(z.string(), scalar)) }))),
  }),
  /** Real runs: Volcano (Volcano Jobs, gang-scheduled) or the stock kube-scheduler (batch/v1 Jobs). */
  kubernetes_scheduler: opt(z.enum(['volcano', 'default'])),
  /** Real runs: seconds to wait for the control plane, nodes and queues. */
  ready_timeout_s: opt(positive),
  /** Real runs: seconds between status polls of the jobs' pods. */
  poll_s: opt(positive),
  /** Real runs: seconds between scrapes of the schedulers' and API server's metrics. */
  scrape_interval_s: opt(positive),
});
