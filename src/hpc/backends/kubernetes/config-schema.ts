/** The `scheduler` group for Kubernetes + Volcano (simulated only, for now). */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { count, opt, scalar } from '../schema-fields.js';

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
