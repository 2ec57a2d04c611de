/**
 * The configuration a running slurmctld reports (`scontrol show config`), for clusters bench
 * does not manage: which of its settings shaped a run's result (recorded with the run), and
 * which keys of bench's `scheduler` config the cluster does not follow (bench never changes a
 * cluster it does not manage, so those are warnings, not settings).
 */
import { BENCH_SLURM_KEYS } from './render-slurm-conf.js';

/**
 * `Key = value` lines of `scontrol show config` (22.05): the main block, then sections such as
 * "Cgroup Support Configuration:" separated by blank lines. A key's first occurrence wins.
 */
export function parseScontrolConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][\w[\]]*)\s*=\s?(.*)$/.exec(line);
    if (m && !out.has(m[1] as string)) out.set(m[1] as string, (m[2] as string).trim());
  }
  return out;
}

/** `(null)` and empty values mean "not set". */
export function isUnset(value: string | undefined): boolean {
  return value === undefined || value === '' || value === '(null)';
}

/** `SchedulerParameters` as printed (`bf_interval=1,bf_continue,...`): a flag maps to ''. */
export function parseSchedulerParameters(value: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (isUnset(value)) return out;
  for (const part of (value as string).split(',')) {
    const [k, ...v] = part.trim().split('=');
    if (k) out.set(k, v.join('='));
  }
  return out;
}

/** Settings of slurmctld that shape scheduling outcomes, recorded with every run on the cluster. */
export const RECORDED_CONFIG_KEYS = [
  'SLURM_VERSION', 'ClusterName', 'SchedulerType', 'SchedulerParameters', 'SchedulerTimeSlice', 'SelectType', 'SelectTypeParameters',
  'PriorityType', 'PriorityFlags', 'PriorityFavorSmall', 'PriorityMaxAge', 'PriorityDecayHalfLife', 'PriorityCalcPeriod',
  'PriorityWeightAge', 'PriorityWeightAssoc', 'PriorityWeightFairShare', 'PriorityWeightJobSize', 'PriorityWeightPartition',
  'PriorityWeightQOS', 'PriorityWeightTRES', 'FairShareDampeningFactor', 'PreemptType', 'PreemptMode', 'DefMemPerCPU',
  'DefMemPerNode', 'EnforcePartLimits', 'OverTimeLimit', 'KillWait', 'CompleteWait', 'MinJobAge', 'BatchStartTimeout',
  'MessageTimeout', 'ProctrackType', 'TaskPlugin', 'JobCompType', 'AccountingStorageType', 'JobSubmitPlugins',
] as const;

/** Numbers as numbers, so a setting compares equal to the same one of a managed run. */
function typed(v: string): string | number {
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** The recorded keys the cluster reports, by their scontrol names; unset keys are left out. */
export function recordedSettings(config: ReadonlyMap<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const k of RECORDED_CONFIG_KEYS) {
    const v = config.get(k);
    if (!isUnset(v)) out[k] = typed(v as string);
  }
  return out;
}

/** A `SchedulerParameters` option as the run records it: the cluster's value, or SLURM's default. */
export function schedulerOption(config: ReadonlyMap<string, string>, key: string, dflt: string): string | number {
  const v = parseSchedulerParameters(config.get('SchedulerParameters')).get(key);
  return v === undefined ? dflt : typed(v);
}

/** SLURM durations (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH[:MM[:SS]]`) in seconds, or undefined. */
export function durationSeconds(text: string): number | undefined {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [d, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  if (d !== undefined) return d * 86_400 + (a ?? 0) * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return (a ?? 0) * 3600 + (b ?? 0) * 60 + c;
  return (a ?? 0) * 60 + (b ?? 0);
}

/** Whether a config value and the value scontrol prints mean the same. */
export function sameValue(want: unknown, have: string | undefined): boolean {
  if (have === undefined) return false;
  const w = typeof want === 'boolean' ? (want ? 'yes' : 'no') : String(want).trim().toLowerCase();
  const h = have.trim().toLowerCase().replace(/\s+(sec|min|usec|percent)$/, '');
  if (w === h) return true;
  const yes = /^(yes|true|1)$/;
  const no = /^(no|false|0)$/;
  if ((yes.test(w) && yes.test(h)) || (no.test(w) && no.test(h))) return true;
  const [dw, dh] = [durationSeconds(w), durationSeconds(h)];
  return dw !== undefined && dw === dh && /[-:]/.test(w + h);
}

const BENCH = new Set<string>(BENCH_SLURM_KEYS);

/** How the cluster stands on one setting, for a warning. */
function describe(name: string, have: string | undefined): string {
  if (have === undefined) return `does not report ${name}`;
  return isUnset(have) ? `${name} unset` : `${name}=${have}`;
}

/**
 * One line per slurm.conf key of bench's config that the cluster does not run with. bench does
 * not write slurm.conf on a cluster it does not manage, so these settings are not in effect.
 */
export function unappliedSettings(benchConfig: Record<string, unknown>, cluster: ReadonlyMap<string, string>): string[] {
  const byLower = new Map([...cluster].map(([k, v]) => [k.toLowerCase(), v]));
  const out: string[] = [];
  const note = (key: string, want: unknown, has: string) =>
    out.push(`scheduler.${key}=${String(want)} is not applied: bench does not configure a SLURM it does not manage, and the cluster ${has}`);
  for (const [key, want] of Object.entries(benchConfig)) {
    if (BENCH.has(key) || want === null || want === undefined) continue;
    if (key === 'SchedulerParameters' && typeof want === 'object') {
      const have = parseSchedulerParameters(cluster.get('SchedulerParameters'));
      for (const [opt, v] of Object.entries(want as Record<string, unknown>)) {
        const h = have.get(opt);
        const applied = v === false ? h === undefined : v === true ? h === '' : sameValue(v, h);
        if (!applied) note(`SchedulerParameters.${opt}`, v, h === undefined ? `runs without ${opt}` : h === '' ? `sets ${opt}` : `has ${opt}=${h}`);
      }
      continue;
    }
    const have = byLower.get(key.toLowerCase());
    if (!sameValue(want, have)) note(key, want, have === undefined ? describe(key, have) : `has ${describe(key, have)}`);
  }
  return out;
}
