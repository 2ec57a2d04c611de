/**
 * Picks the provider and scheduler implementations by config `kind`. Imports are lazy so that a
 * simulated sweep never loads QEMU code, and a no-op run loads no backend at all.
 */
import type { Provider, Scheduler } from './types.js';

/** Provider kinds the config accepts, for messages. */
export const PROVIDER_KINDS = ['sim', 'netns', 'libvirt', 'ssh'] as const;

/** Returns the provider for `kind`, or a message saying why there is none. */
export async function providerFor(kind: string): Promise<Provider | string> {
  switch (kind) {
    case 'sim': return (await import('./sim/index.js')).simProvider;
    case 'libvirt': return (await import('./libvirt/libvirt-provider.js')).libvirtProvider;
    case 'netns': return (await import('./netns/netns-provider.js')).netnsProvider;
    case 'ssh': return (await import('./ssh/ssh-provider.js')).sshProvider;
    default: return `unknown provider kind "${kind}" (expected one of ${PROVIDER_KINDS.join(', ')})`;
  }
}

/** Providers whose hosts are reached over SSH, where real schedulers run. */
const REAL_HOST_PROVIDERS = new Set(['netns', 'libvirt', 'ssh']);

/**
 * The simulator stands in for every scheduler on the `sim` provider (its presets map each
 * scheduler's keys). On real hosts (netns, libvirt, ssh) SLURM runs for real; Flux and
 * Kubernetes are not built yet.
 */
export async function schedulerFor(providerKind: string, schedulerKind: string): Promise<Scheduler | string> {
  if (providerKind === 'sim') return (await import('./sim/index.js')).simScheduler;
  if (schedulerKind === 'slurm' && REAL_HOST_PROVIDERS.has(providerKind)) return (await import('./slurm/index.js')).slurmScheduler;
  return `scheduler "${schedulerKind}" on provider "${providerKind}" is not built yet: real Flux and Kubernetes are still to come; on provider=sim all three are simulated`;
}
