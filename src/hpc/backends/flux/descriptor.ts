/** Flux: simulated only (fluxion's queue and match policies mapped onto the simulator); no registry ships flux-core. */
import { presetFor } from '../../sim/presets.js';
import { defineScheduler } from '../descriptor.js';
import { FluxSchedulerSchema } from './config-schema.js';

export const fluxDescriptor = defineScheduler({
  layer: 'scheduler',
  kind: 'flux',
  summary: 'Flux (fluxion), simulated only',
  configSchema: FluxSchedulerSchema,
  simPreset: presetFor,
  realProviders: [],
  nixModule: 'flux.nix',
});
