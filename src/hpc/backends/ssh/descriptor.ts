/** Provider `ssh`: existing hosts (e.g. a real cluster's login node), host keys from known_hosts. */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { defineProvider } from '../descriptor.js';
import { opt, positive } from '../schema-fields.js';

export const SshProviderSchema = closedObject({
  kind: z.literal('ssh'), hosts: z.array(z.string()).min(1), user: z.string(), key: z.string(),
  port: opt(z.number().int().min(1).max(65535)), manage_scheduler: opt(z.boolean()), time_scale: opt(positive),
  known_hosts: opt(z.string()), host_keys: opt(z.record(z.string(), z.string())),
});

export const sshDescriptor = defineProvider({
  layer: 'provider',
  kind: 'ssh',
  summary: 'existing hosts reached over SSH',
  configSchema: SshProviderSchema,
  load: async () => (await import('./ssh-provider.js')).sshProvider,
});
