/**
 * The `tracking` config group: where (if anywhere) sweeps are mirrored besides the cache. The cache
 * stays the source of truth; a tracking server is a view of it that can be rebuilt at any time.
 */
import { z } from 'zod';
import { closedObject } from '../../engine/config/closed-object.js';

export const TrackingSchema = z.discriminatedUnion('kind', [
  closedObject({ kind: z.literal('none') }),
  closedObject({
    kind: z.literal('mlflow'),
    /** Base URL of the MLflow tracking server (its REST API is under `/api/2.0/mlflow`). */
    uri: z.string().regex(/^https?:\/\/[^\s/]+/, 'an http(s) URL like http://127.0.0.1:5000'),
    /** Experiment name; null or absent = the project directory's name (one experiment per project). */
    experiment: z.exactOptional(z.string().min(1).nullable()),
    /** true: an unreachable server fails the run (exit 1); false: the run succeeds and says tracking was skipped. */
    required: z.exactOptional(z.boolean()),
  }),
]);
export type TrackingConfig = z.infer<typeof TrackingSchema>;

/** Allowed `tracking.kind` values, for "expected one of" in diagnostics. */
export const TRACKING_KINDS = ['none', 'mlflow'] as const;
