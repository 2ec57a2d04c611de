/**
 * One descriptor per backend: everything the rest of bench needs to know about a scheduler or a
 * provider, in one place, without loading its implementation. The registry, the config schema's
 * discriminated unions, the "is this combination built?" check and the netns per-host folders are
 * all derived from these. Implementations load lazily (`load`), so a no-op run or a simulated
 * sweep never imports ssh2, QEMU or SLURM code.
 */
import type { z } from 'zod';
import type { Preset } from '../sim/presets.js';
import type { Provider, Scheduler } from './types.js';

/** A config-group schema whose `kind` literal names the backend. */
export type KindSchema = z.ZodObject<{ kind: z.ZodLiteral<string> } & z.ZodRawShape>;

/** What a scheduler keeps per host; on hosts sharing one filesystem (netns) each gets its own copy. */
export interface HostState {
  /** Directories bind-mounted per host over the packages' default paths (config, keys, spool, logs). */
  dirs: readonly string[];
  /** Directories the scheduler's daemons expect under each host's private `/run`, with their owner. */
  runDirs?: readonly { path: string; owner?: string }[];
}

/** A scheduler backend: the `scheduler` config group of one `kind`. */
export interface SchedulerDescriptor<S extends KindSchema = KindSchema> {
  layer: 'scheduler';
  kind: z.infer<S>['kind'] & string;
  /** One line for listings and errors. */
  summary: string;
  configSchema: S;
  /** How the simulator plays this scheduler (`provider=sim`); absent when it cannot. */
  simPreset?: (config: Record<string, unknown>) => Preset;
  /** Providers (other than `sim`) on which the real scheduler is built. */
  realProviders: readonly string[];
  /** Per-host state, for providers whose hosts share this machine's filesystem. */
  hostState?: HostState;
  /** Debian packages a VM image needs to run it (conf/image/debian.yaml lists them; a test checks). */
  imagePackages?: readonly string[];
  /** NixOS module under `nix/modules/` that installs it. */
  nixModule?: string;
  /** The real implementation, loaded only when a real run needs it; it takes this schema's config. */
  load?: () => Promise<Scheduler<z.infer<S>>>;
}

/** A provider backend: the `provider` config group of one `kind`. */
export interface ProviderDescriptor<S extends KindSchema = KindSchema> {
  layer: 'provider';
  kind: z.infer<S>['kind'] & string;
  summary: string;
  configSchema: S;
  /**
   * True for the embedded provider: its hosts are virtual and every scheduler with a `simPreset`
   * runs on them through the simulator.
   */
  simulated?: boolean;
  /** The implementation; it takes this schema's config. */
  load: () => Promise<Provider<z.infer<S>>>;
}

/**
 * Identity helpers that keep each descriptor's schema type (so the config union stays precise) and
 * infer from it the config type its implementation's `configure` / `up` must take.
 */
export function defineScheduler<S extends KindSchema>(d: SchedulerDescriptor<S>): SchedulerDescriptor<S> {
  return d;
}
export function defineProvider<S extends KindSchema>(d: ProviderDescriptor<S>): ProviderDescriptor<S> {
  return d;
}
