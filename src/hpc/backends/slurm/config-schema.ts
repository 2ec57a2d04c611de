/**
 * The `scheduler` group for SLURM: slurm.conf keys as written to slurm.conf (checked against SLURM
 * 22.05's key lists, with value types where slurm.conf has them) plus bench's own settings.
 */
import { z } from 'zod';
import { ALWAYS, closedObject } from '../../../engine/config/closed-object.js';
import { opt, positive, scalar } from '../schema-fields.js';
import { SLURM_CONF_KEYS, SLURM_OBSOLETE_KEYS, SLURM_SCHEDULER_PARAMETERS, SLURM_TYPED_KEYS } from './slurm-keys.js';
import { BENCH_SLURM_KEYS, slurmValueProblem } from './render-slurm-conf.js';

/** bench's own keys and SchedulerParameters; any other key is a slurm.conf key (the catchall below). */
const SlurmNamedKeys = closedObject(
  {
    kind: z.literal('slurm'),
    // bench's own settings for a real SLURM run; never written to slurm.conf.
    manage: opt(z.boolean()),
    payload: opt(z.enum(['sleep', 'stress-ng'])),
    sample_interval_s: opt(positive),
    // squeue polling backs off from the first to the second while the queue does not change.
    poll_min_s: opt(positive),
    poll_max_s: opt(positive),
    ready_timeout_s: opt(positive),
    submit_memory: opt(z.boolean()),
    partition: opt(z.string().min(1)),
    SchedulerParameters: opt(
      closedObject(
        Object.fromEntries(SLURM_SCHEDULER_PARAMETERS.map((k) => [k, opt(scalar)])),
        { label: 'SchedulerParameters option' },
      ),
    ),
  },
  { extraKeys: [...SLURM_CONF_KEYS, ...SLURM_OBSOLETE_KEYS], ignoreCase: true, label: 'slurm.conf key' },
);

/** slurm.conf keys as written to slurm.conf; SchedulerParameters as a map of its documented sub-keys. */
export const SlurmSchedulerSchema = SlurmNamedKeys
  .catchall(z.union([scalar, z.null()]))
  .superRefine(checkSlurmValueTypes, ALWAYS)
  .superRefine(checkSlurmConfText, ALWAYS)
  .superRefine(checkPollRange, ALWAYS);

/** Values slurm.conf cannot hold (a line break would add a directive): exit 2 before anything runs. */
function checkSlurmConfText(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  const report = (path: string[], problem: string | undefined): void => {
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem, params: { expected: 'a value slurm.conf can hold' } });
  };
  for (const [key, v] of Object.entries(value)) {
    if (key === 'SchedulerParameters' && v && typeof v === 'object') {
      for (const [k, o] of Object.entries(v as Record<string, unknown>)) report([key, k], slurmValueProblem(o, true));
    } else if (!BENCH_KEYS.has(key)) report([key], slurmValueProblem(v));
  }
}

const OBSOLETE = new Set(SLURM_OBSOLETE_KEYS.map((k) => k.toLowerCase()));
const BENCH_KEYS = new Set<string>(BENCH_SLURM_KEYS);
const TYPED = new Map(Object.entries(SLURM_TYPED_KEYS).map(([k, t]) => [k.toLowerCase(), t]));
const BOOL_WORDS = /^(yes|up|true|1|no|down|false|0)$/i;

/** Values the slurm.conf parser would reject for its integer and boolean keys. */
function checkSlurmValueTypes(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  for (const [key, v] of Object.entries(value)) {
    if (OBSOLETE.has(key.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is obsolete: slurm.conf.5 (22.05) no longer documents it`, params: { severity: 'warning' } });
    }
    const type = TYPED.get(key.toLowerCase());
    if (type === 'uint' && !(Number.isInteger(v) && (v as number) >= 0) && !(typeof v === 'string' && /^\d+$/.test(v))) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'slurm.conf expects an unsigned integer here', params: { expected: 'unsigned integer' } });
    }
    if (type === 'boolean' && typeof v !== 'boolean' && !BOOL_WORDS.test(String(v))) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'slurm.conf expects a boolean here', params: { expected: 'YES or NO' } });
    }
  }
}

function checkPollRange(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  const { poll_min_s: min, poll_max_s: max } = value;
  if (typeof min === 'number' && typeof max === 'number' && max < min) {
    ctx.addIssue({ code: 'custom', path: ['poll_max_s'], message: `poll_max_s must be at least poll_min_s (${min})`, params: { expected: `a number >= ${min}` } });
  }
}

/**
 * The `scheduler` group for SLURM as validated at compose time: what the backend receives. The
 * slurm.conf keys stay `unknown` here because zod's inferred catchall signature (scalars) would
 * also have to cover SchedulerParameters, which no object literal could then satisfy.
 */
export type SlurmSchedulerConfig = z.infer<typeof SlurmNamedKeys> & { [slurmConfKey: string]: unknown };
