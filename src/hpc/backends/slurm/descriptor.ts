/** SLURM: simulated on `provider=sim`, real (Debian's slurm-wlm 22.05 and munge) on hosts reached over SSH. */
import { presetFor } from '../../sim/presets.js';
import { defineScheduler } from '../descriptor.js';
import { SlurmSchedulerSchema } from './config-schema.js';

export const slurmDescriptor = defineScheduler({
  layer: 'scheduler',
  kind: 'slurm',
  summary: 'SLURM 22.05 (slurmctld, slurmd, munge)',
  configSchema: SlurmSchedulerSchema,
  simPreset: presetFor,
  realProviders: ['netns', 'libvirt', 'ssh'],
  hostState: {
    // The packages' default paths, so daemons started over SSH with no path options find their
    // own config, keys, spool and logs on each host.
    dirs: ['/etc/slurm', '/etc/munge', '/var/lib/munge', '/var/log/munge', '/var/spool/slurmd', '/var/spool/slurmctld', '/var/log/slurm'],
    // munged's socket; munged checks its owner.
    runDirs: [{ path: '/run/munge', owner: 'munge:munge' }],
  },
  imagePackages: ['slurm-wlm', 'munge', 'stress-ng'],
  nixModule: 'slurm.nix',
  load: async () => (await import('./index.js')).slurmScheduler,
});
