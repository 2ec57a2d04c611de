/** The `scheduler` group for Flux (simulated only: no registry ships flux-core). */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { count, opt } from '../schema-fields.js';

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
