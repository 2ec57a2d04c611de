/**
 * Kubernetes + Volcano: simulated on `provider=sim` (Volcano's actions and plugins mapped onto the
 * simulator), real on `provider=netns` (kube-apiserver, kube-controller-manager, Volcano's
 * controllers and scheduler or the stock kube-scheduler, etcd, built from the Go module proxy by
 * tools/kubernetes/build.sh; compute nodes by KWOK).
 */
import { presetFor } from '../../sim/presets.js';
import { defineScheduler } from '../descriptor.js';
import { KubernetesSchedulerSchema } from './config-schema.js';

export const kubernetesDescriptor = defineScheduler({
  layer: 'scheduler',
  kind: 'kubernetes',
  summary: 'Kubernetes 1.34 + Volcano 1.14 (nodes emulated by KWOK)',
  configSchema: KubernetesSchedulerSchema,
  simPreset: presetFor,
  realProviders: ['netns'],
  // The control plane runs from this machine's build cache and keeps its data (etcd, PKI, logs)
  // in the head host's directory of the netns cluster, so no per-host paths are bind-mounted.
  hostState: { dirs: [] },
  nixModule: 'kubernetes.nix',
  load: async () => (await import('./index.js')).kubernetesScheduler,
});
