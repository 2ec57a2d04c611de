/**
 * The backends bench knows, as descriptors, and everything derived from them: the config kinds,
 * which scheduler runs on which provider, and the implementation for a run. Adding a backend is
 * one folder with a `descriptor.ts` and one entry in a list below. Implementations load lazily,
 * so a simulated sweep never loads QEMU or SSH code, and a no-op run loads none at all.
 */
import type { HostState, ProviderDescriptor, SchedulerDescriptor } from './descriptor.js';
import { fluxDescriptor } from './flux/descriptor.js';
import { genericDescriptor } from './generic/descriptor.js';
import { kubernetesDescriptor } from './kubernetes/descriptor.js';
import { libvirtDescriptor } from './libvirt/descriptor.js';
import { netnsDescriptor } from './netns/descriptor.js';
import { simProviderDescriptor } from './sim/descriptor.js';
import { slurmDescriptor } from './slurm/descriptor.js';
import { sshDescriptor } from './ssh/descriptor.js';
import type { Provider, Scheduler } from './types.js';

/** Every scheduler backend; the `scheduler` config group is the union of their schemas. */
export const SCHEDULERS = [slurmDescriptor, fluxDescriptor, kubernetesDescriptor, genericDescriptor] as const;
/** Every provider backend; the `provider` config group is the union of their schemas. */
export const PROVIDERS = [simProviderDescriptor, netnsDescriptor, libvirtDescriptor, sshDescriptor] as const;

/** Scheduler kinds the config accepts. */
export const SCHEDULER_KINDS: readonly string[] = SCHEDULERS.map((d) => d.kind);
/** Provider kinds the config accepts. */
export const PROVIDER_KINDS: readonly string[] = PROVIDERS.map((d) => d.kind);

export function schedulerDescriptor(kind: string): SchedulerDescriptor | undefined {
  return (SCHEDULERS as readonly SchedulerDescriptor[]).find((d) => d.kind === kind);
}

export function providerDescriptor(kind: string): ProviderDescriptor | undefined {
  return (PROVIDERS as readonly ProviderDescriptor[]).find((d) => d.kind === kind);
}

/** Where each scheduler runs: `sim` when it has a simulator preset, then its real providers. */
export function providersOf(s: SchedulerDescriptor): string[] {
  const simulated = PROVIDERS.filter((p) => p.simulated).map((p) => p.kind);
  return [...(s.simPreset ? simulated : []), ...s.realProviders.filter((k) => PROVIDER_KINDS.includes(k))];
}

/**
 * Why `scheduler` cannot run on `provider`, or undefined when that combination is built.
 * Checked while the config is validated, so an unbuilt combination fails before anything is
 * provisioned. Unknown kinds are left to the schema's own "unknown kind" error.
 */
export function combinationProblem(providerKind: string, schedulerKind: string): string | undefined {
  const s = schedulerDescriptor(schedulerKind);
  const p = providerDescriptor(providerKind);
  if (!s || !p) return undefined;
  if (p.simulated ? s.simPreset : s.realProviders.includes(p.kind) && s.load) return undefined;
  const where = providersOf(s);
  const built = where.length ? `it runs on provider ${where.join(', ')}` : 'it runs nowhere yet';
  return p.simulated
    ? `scheduler "${s.kind}" has no simulator preset, so it cannot run on provider "${p.kind}"; ${built}`
    : `scheduler "${s.kind}" on provider "${p.kind}" is not built yet: ${built}`;
}

/** Scheduler kinds that run on `providerKind`. */
export function schedulersOn(providerKind: string): string[] {
  return SCHEDULER_KINDS.filter((s) => combinationProblem(providerKind, s) === undefined);
}

/** Returns the provider for `kind`, or a message saying why there is none. */
export async function providerFor(kind: string): Promise<Provider | string> {
  const d = providerDescriptor(kind);
  return d ? d.load() : `unknown provider kind "${kind}" (expected one of ${PROVIDER_KINDS.join(', ')})`;
}

/**
 * The scheduler implementation for a run: on the simulated provider the simulator plays every
 * scheduler through its preset; elsewhere the scheduler's own real implementation.
 */
export async function schedulerFor(providerKind: string, schedulerKind: string): Promise<Scheduler | string> {
  if (providerDescriptor(providerKind)?.simulated) return (await import('./sim/index.js')).simScheduler;
  const problem = combinationProblem(providerKind, schedulerKind);
  if (problem) return problem;
  const load = schedulerDescriptor(schedulerKind)?.load;
  return load ? load() : `unknown scheduler kind "${schedulerKind}" (expected one of ${SCHEDULER_KINDS.join(', ')})`;
}

/**
 * Per-host state of every scheduler built for `providerKind`. A cluster is provisioned from the
 * provider and topology alone (one cluster serves whichever of these schedulers a sweep puts on
 * it), so its hosts get the folders of all of them.
 */
export function hostStateFor(providerKind: string): HostState {
  const built = SCHEDULERS.filter((s): s is typeof s & { hostState: HostState } => s.realProviders.includes(providerKind) && 'hostState' in s && s.hostState !== undefined);
  return {
    dirs: [...new Set(built.flatMap((s) => s.hostState.dirs))],
    runDirs: built.flatMap((s) => s.hostState.runDirs ?? []),
  };
}
