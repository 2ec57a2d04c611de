/**
 * Fields every service and client recipe shares. Values that end up in a job script are either
 * validated here to a shape no shell reads specially (names, numbers) or quoted when rendered.
 */
import { z } from 'zod';
import { closedObject } from '../../engine/config/closed-object.js';
import { opt } from '../backends/schema-fields.js';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);

/** A recipe's name: it becomes part of a SLURM job name and a report label. */
export const recipeName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a bare word of lower-case letters, digits, _ and - (at most 40)');

/** What the job asks SLURM for. One node: multi-node services are not built. */
export const resources = closedObject({
  cores: int(1, 1024),
  memory_mib: int(16),
  /** SLURM's time limit, whole minutes. */
  time_min: int(1, 24 * 60),
});
export type Resources = z.infer<typeof resources>;

/** Environment of the job: names are shell identifiers, values are quoted when rendered. */
export const environment = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string());

/**
 * `host` (the node's own packages) or `podman` (a container of the kind's image, built by
 * `service:image`, host networking). Absent: podman when the kind declares an image.
 */
export const runtime = opt(z.enum(['host', 'podman']));

/** Fields of every service recipe, besides its `kind`. */
export const serviceFields = {
  name: recipeName,
  runtime,
  port: int(1, 65535),
  /** Extra arguments appended to the service's command line, each one word. */
  args: opt(z.array(z.string())),
  env: opt(environment),
  resources,
  health: closedObject({ timeout_s: z.number().positive().max(3600), interval_s: z.number().positive().max(60) }),
};

/** Fields of every client recipe, besides its `kind`. */
export const clientFields = {
  /** The service recipe (`service.name`) this client loads. */
  service: recipeName,
  runtime,
  /** Requests in flight at once. */
  concurrency: int(1, 10_000),
  env: opt(environment),
  resources,
  /** Hard bound on the load generator's run, seconds (it is killed after). */
  timeout_s: z.number().positive().max(24 * 3600),
};
