/**
 * The `scheduler` group of kind `generic`: a scheduling policy asked for by name, with no real
 * scheduler behind it — the neutral way to run FCFS, EASY or conservative backfilling in the
 * simulator. Self-contained so it can move with its descriptor.
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { count, opt } from '../schema-fields.js';

export const GenericSchedulerSchema = closedObject({
  kind: z.literal('generic'),
  /** fcfs: no backfilling; easy: the head holds a reservation; conservative: every waiting job does. */
  policy: z.enum(['fcfs', 'easy', 'conservative']),
  /** Waiting jobs a backfill pass examines (after the head for easy); unlimited when absent. */
  reservation_depth: opt(count),
  /** Queue order: arrival, or the shortest requested walltime first. */
  order: opt(z.enum(['submit', 'shortest-estimate-first'])),
  /** pool: cores and GPUs as pools (the literature's processor model); nodes: reservations hold nodes. */
  reservation_model: opt(z.enum(['pool', 'nodes'])),
  /** Where a starting job's cores go; it changes which nodes, not when (in the pool model). */
  placement: opt(z.enum(['first-fit', 'best-fit', 'spread'])),
});
export type GenericSchedulerConfig = z.infer<typeof GenericSchedulerSchema>;
