/** Provider `netns`: real Linux hosts from network, UTS and mount namespaces on this machine, each with its own sshd. */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { defineProvider } from '../descriptor.js';
import { opt, positive, subnet } from '../schema-fields.js';

export const NetnsProviderSchema = closedObject({
  kind: z.literal('netns'), subnet, bridge: z.string(), scale_to_host: opt(z.boolean()), time_scale: opt(positive),
  state_dir: opt(z.string()), ready_timeout_s: opt(positive),
});

export const netnsDescriptor = defineProvider({
  layer: 'provider',
  kind: 'netns',
  summary: 'network namespaces on this machine, each host with its own sshd',
  configSchema: NetnsProviderSchema,
  load: async () => (await import('./netns-provider.js')).netnsProvider,
});
