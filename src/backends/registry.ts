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

/**
 * The simulator stands in for every scheduler on the `sim` provider (its presets map each
 * scheduler's keys). Real schedulers on real hosts are not built yet.
 */
export async function schedulerFor(providerKind: string, schedulerKind: string): Promise<Scheduler | string> {
  if (providerKind === 'sim') return (await import('./sim/index.js')).simScheduler;
  return `scheduler "${schedulerKind}" on provider "${providerKind}" is not built yet: real SLURM, Flux and Kubernetes are still to come; on provider=sim all three are simulated`;
}
