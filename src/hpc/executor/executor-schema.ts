/**
 * The `executor` config group: where artifact tasks run. `local` (this process) is the default;
 * `slurm` submits remote-capable tasks as SLURM jobs. Nothing here enters a fingerprint: the CLI
 * takes the group out of every sweep point before the graph is built (`takeExecutorConfig`).
 */
import { z } from 'zod';
import { closedObject } from '../../engine/config/closed-object.js';
import { count, opt, positive, subnet } from '../backends/schema-fields.js';

export const LocalExecutorSchema = closedObject({ kind: z.literal('local') });

export const SlurmExecutorSchema = closedObject({
  kind: z.literal('slurm'),
  provider: z.enum(['netns', 'ssh']),
  /** netns: compute hosts to bring up; ssh: the login node(s), the first one used. */
  hosts: z.union([count, z.array(z.string().min(1)).min(1)]),
  /** ssh: who logs in, with which private key, on which port; host keys from `known_hosts`. */
  user: opt(z.string().min(1).nullable()),
  key: opt(z.string().min(1).nullable()),
  port: opt(z.number().int().min(1).max(65535)),
  known_hosts: opt(z.string().min(1).nullable()),
  /** The Node 20 a job runs `bench` with on the compute hosts; null: this one (netns), `node` on PATH (ssh). */
  node: opt(z.string().min(1).nullable()),
  subnet: opt(subnet),
  bridge: opt(z.string().min(1).max(15)),
  host_cpus: opt(count),
  partition: opt(z.string().min(1).nullable()),
  account: opt(z.string().min(1).nullable()),
  max_in_flight: opt(positive),
  array_max: opt(positive),
  array_window_ms: opt(z.number().nonnegative()),
  /** Tasks one array element runs in one process, at most (1: a process per task). */
  batch_max: opt(z.number().int().positive()),
  shared_dir: opt(z.string().min(1).nullable()),
  remote_cache_dir: opt(z.string().min(1).nullable()),
});
export type SlurmExecutorConfig = z.infer<typeof SlurmExecutorSchema>;

export const ExecutorSchema = z.discriminatedUnion('kind', [LocalExecutorSchema, SlurmExecutorSchema]);
export type ExecutorConfig = z.infer<typeof ExecutorSchema>;

/** For "expected one of" in errors about an unknown executor kind. */
export const EXECUTOR_KINDS = ['local', 'slurm'] as const;
