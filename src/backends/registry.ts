/**
 * Picks the provider and scheduler implementations by config `kind`. Imports are lazy so that a
 * simulated sweep never loads ssh2 or QEMU code, and a no-op run loads none of them.
 */
import type { Provider, Scheduler } from './types.js';

/** Provider kinds that exist, for messages. */
export const PROVIDER_KINDS = ['sim', 'netns', 'libvirt', 'ssh'] as const;

/** Returns the provider for `kind`, or a message saying which kinds exist. */
export async function providerFor(kind: string): Promise<Provider | string> {
  switch (kind) {
    case 'sim': return (await import('./sim/index.js')).simProvider;
    case 'netns': return load<Provider>('./netns/index.js', 'netnsProvider');
    case 'libvirt': return (await import('./libvirt/libvirt-provider.js')).libvirtProvider;
    case 'ssh': return load<Provider>('./ssh-hosts/index.js', 'sshHostsProvider');
    default: return `unknown provider kind "${kind}" (expected one of ${PROVIDER_KINDS.join(', ')})`;
  }
}

/**
 * The simulator stands in for every scheduler on the `sim` provider (its presets map each
 * scheduler's keys); on real hosts only SLURM is driven for real so far.
 */
export async function schedulerFor(providerKind: string, schedulerKind: string): Promise<Scheduler | string> {
  if (providerKind === 'sim') return (await import('./sim/index.js')).simScheduler;
  if (schedulerKind === 'slurm') return load<Scheduler>('./slurm/index.js', 'slurmScheduler');
  return `scheduler "${schedulerKind}" on provider "${providerKind}" is not built yet: only slurm runs on real hosts (flux and kubernetes run on provider=sim)`;
}

/** Loads one export of a backend module by path, so backends stay out of the no-op path. */
async function load<T>(path: string, name: string): Promise<T> {
  const mod = (await import(path)) as Record<string, unknown>;
  return mod[name] as T;
}
