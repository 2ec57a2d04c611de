/** The generic scheduler: a textbook policy by name, simulated only. */
import { presetFor } from '../../sim/presets.js';
import { defineScheduler } from '../descriptor.js';
import { GenericSchedulerSchema } from './config-schema.js';

export const genericDescriptor = defineScheduler({
  layer: 'scheduler',
  kind: 'generic',
  summary: 'a textbook policy (fcfs, easy, conservative) by name, simulated only',
  configSchema: GenericSchedulerSchema,
  simPreset: presetFor,
  realProviders: [],
});
