/** Provider `sim`: virtual hosts from the topology; every scheduler with a simulator preset runs on them. */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { defineProvider } from '../descriptor.js';

export const SimProviderSchema = closedObject({ kind: z.literal('sim') });

export const simProviderDescriptor = defineProvider({
  layer: 'provider',
  kind: 'sim',
  summary: 'the embedded simulated cluster',
  configSchema: SimProviderSchema,
  simulated: true,
  load: async () => (await import('./index.js')).simProvider,
});
