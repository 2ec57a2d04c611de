/** Kubernetes + Volcano: simulated only for now (Volcano's actions and plugins mapped onto the simulator). */
import { presetFor } from '../../sim/presets.js';
import { defineScheduler } from '../descriptor.js';
import { KubernetesSchedulerSchema } from './config-schema.js';

export const kubernetesDescriptor = defineScheduler({
  layer: 'scheduler',
  kind: 'kubernetes',
  summary: 'Kubernetes + Volcano, simulated only',
  configSchema: KubernetesSchedulerSchema,
  simPreset: presetFor,
  realProviders: [],
  nixModule: 'kubernetes.nix',
});
