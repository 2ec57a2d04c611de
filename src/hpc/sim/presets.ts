/**
 * Maps each scheduler's own configuration keys onto a simulator policy. Every key the simulator
 * does not model comes back as a warning naming it: nothing is silently ignored.
 */
import type { PlacementRule } from './placement.js';
import type { SimPolicy } from './simulate.js';

export interface Preset {
  policy: SimPolicy;
  warnings: string[];
}

type Conf = Record<string, unknown>;

export function presetFor(config: Conf): Preset {
  switch (config['kind']) {
    case 'slurm': return slurmPreset(config);
    case 'flux': return fluxPreset(config);
    case 'kubernetes': return volcanoPreset(config);
    case 'generic': return genericPreset(config);
    default: throw new Error(`no simulator preset for scheduler kind ${String(config['kind'])}`);
  }
}

const num = (v: unknown, d: number) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : d);

/** SLURM time strings as PriorityMaxAge takes them: `days-hours`, `minutes`, `h:m:s`. */
export function slurmDuration(v: unknown, fallback: number): number {
  if (typeof v === 'number') return v * 60;
  if (typeof v !== 'string') return fallback;
  const dh = /^(\d+)-(\d+)(?::(\d+))?(?::(\d+))?$/.exec(v);
  if (dh) return Number(dh[1]) * 86400 + Number(dh[2]) * 3600 + Number(dh[3] ?? 0) * 60 + Number(dh[4] ?? 0);
  const hms = v.split(':').map(Number);
  if (hms.every((x) => Number.isFinite(x))) return hms.length === 3 ? (hms[0] as number) * 3600 + (hms[1] as number) * 60 + (hms[2] as number) : (hms[0] as number) * 60 + (hms[1] ?? 0);
  return fallback;
}

const SLURM_MODELLED = new Set(['kind', 'SchedulerType', 'SelectType', 'SelectTypeParameters', 'PriorityType', 'PriorityWeightAge', 'PriorityWeightFairshare', 'PriorityWeightJobSize', 'PriorityFavorSmall', 'PriorityMaxAge', 'SchedulerParameters']);
const SLURM_PARAMS_MODELLED = new Set(['bf_window', 'bf_max_job_test']);

function slurmPreset(c: Conf): Preset {
  const warnings: string[] = [];
  for (const [k, v] of Object.entries(c)) {
    if (SLURM_MODELLED.has(k)) continue;
    if (/^PriorityWeight/.test(k) && num(v, 0) === 0) continue;
    warnings.push(`scheduler.${k}: not modelled by the simulator`);
  }
  const params = (c['SchedulerParameters'] ?? {}) as Conf;
  for (const k of Object.keys(params)) if (!SLURM_PARAMS_MODELLED.has(k)) warnings.push(`scheduler.SchedulerParameters.${k}: not modelled by the simulator (it shapes real SLURM runs only)`);
  const backfill = c['SchedulerType'] !== 'sched/builtin';
  const multifactor = c['PriorityType'] === 'priority/multifactor';
  const stp = String(c['SelectTypeParameters'] ?? '');
  const placement: PlacementRule = /CR_LLN/.test(stp) ? 'spread' : 'best-fit';
  return {
    warnings,
    policy: {
      // SLURM's backfill starts a job only if it delays no higher-priority job's expected start.
      queue: backfill ? 'conservative' : 'fcfs',
      reservation: 'nodes',
      placement,
      backfillDepth: num(params['bf_max_job_test'], 500),
      backfillWindow: num(params['bf_window'], 1440) * 60,
      priority: multifactor
        ? { order: 'multifactor', weightAge: num(c['PriorityWeightAge'], 0), weightSize: num(c['PriorityWeightJobSize'], 0), weightFairshare: num(c['PriorityWeightFairshare'], 0), maxAge: slurmDuration(c['PriorityMaxAge'], 7 * 86400), favorSmall: /^(yes|true)$/i.test(String(c['PriorityFavorSmall'] ?? '')) }
        : { order: 'fcfs' },
    },
  };
}

function fluxPreset(c: Conf): Preset {
  const warnings: string[] = [];
  const known = new Set(['kind', 'queue-policy', 'queue-params', 'policy-params', 'match-policy']);
  for (const k of Object.keys(c)) if (!known.has(k)) warnings.push(`scheduler.${k}: not modelled by the simulator`);
  const qp = (c['queue-params'] ?? {}) as Conf;
  const pp = (c['policy-params'] ?? {}) as Conf;
  for (const k of Object.keys(qp)) if (k !== 'queue-depth') warnings.push(`scheduler.queue-params.${k}: not modelled by the simulator`);
  const policy = String(c['queue-policy'] ?? 'fcfs');
  for (const k of Object.keys(pp)) if (!(k === 'reservation-depth' && policy === 'hybrid')) warnings.push(`scheduler.policy-params.${k}: not modelled by the simulator for queue-policy ${policy}`);
  const match = String(c['match-policy'] ?? 'first');
  let placement: PlacementRule = 'first-fit';
  if (match === 'locality') placement = 'best-fit';
  else if (match === 'variation') placement = 'spread';
  else if (!['first', 'low', 'lonode', 'lonodex'].includes(match)) warnings.push(`scheduler.match-policy: "${match}" is modelled as first-fit in node order`);
  const depth = policy === 'hybrid' ? num(pp['reservation-depth'], 64) : num(qp['queue-depth'], 32);
  const queue = policy === 'easy' ? 'easy' : policy === 'fcfs' ? 'fcfs' : 'conservative';
  return { warnings, policy: { queue, reservation: 'nodes', placement, backfillDepth: depth, priority: { order: 'fcfs' } } };
}

function volcanoPreset(c: Conf): Preset {
  const warnings: string[] = [];
  const v = (c['volcano'] ?? {}) as { actions?: string[]; tiers?: { plugins?: { name: string }[] }[]; queues?: unknown[] };
  for (const k of Object.keys(c)) if (k !== 'kind' && k !== 'volcano') warnings.push(`scheduler.${k}: not modelled by the simulator`);
  const actions = v.actions ?? [];
  for (const a of actions) if (!['enqueue', 'allocate', 'backfill'].includes(a)) warnings.push(`scheduler.volcano.actions: "${a}" is not modelled by the simulator`);
  const plugins = new Set((v.tiers ?? []).flatMap((t) => (t.plugins ?? []).map((p) => p.name)));
  const modelled = ['gang', 'binpack', 'drf', 'priority', 'predicates', 'nodeorder', 'conformance'];
  for (const p of plugins) if (!modelled.includes(p)) warnings.push(`scheduler.volcano plugin "${p}": not modelled by the simulator`);
  if ((v.queues?.length ?? 0) > 1) warnings.push('scheduler.volcano.queues: several queues are modelled as one');
  const placement: PlacementRule = plugins.has('binpack') ? 'best-fit' : plugins.has('nodeorder') ? 'spread' : 'first-fit';
  return {
    warnings,
    policy: {
      queue: actions.includes('backfill') ? 'easy' : 'fcfs',
      reservation: 'nodes',
      placement,
      backfillDepth: 1000,
      // drf orders jobs by their user's dominant share, close to a pure fair-share priority.
      priority: plugins.has('drf') ? { order: 'multifactor', weightFairshare: 1, weightAge: 0.001 } : { order: 'fcfs' },
    },
  };
}

/** The generic scheduler: the policy as named; pooled reservations and no depth limit unless set. */
function genericPreset(c: Conf): Preset {
  const order = c['order'] === 'shortest-estimate-first' ? 'sjf' : 'fcfs';
  const placement = (c['placement'] ?? 'first-fit') as PlacementRule;
  const queue = (c['policy'] ?? 'fcfs') as SimPolicy['queue'];
  const reservation = c['reservation_model'] === 'nodes' ? 'nodes' : 'pool';
  return { warnings: [], policy: { queue, reservation, placement, backfillDepth: num(c['reservation_depth'], Infinity), priority: { order } } };
}

/** One line naming the policy a scheduler config is simulated as: what `bench config show` prints. */
export function describePolicy(p: SimPolicy): string {
  const pr = p.priority;
  const order = pr.order === 'multifactor' ? `multifactor (age ${pr.weightAge ?? 0}, size ${pr.weightSize ?? 0}, fairshare ${pr.weightFairshare ?? 0})` : pr.order === 'sjf' ? 'shortest-estimate-first' : 'submit';
  const parts = [`policy=${p.queue}`, `order=${order}`, `placement=${p.placement}`];
  if (p.queue !== 'fcfs') parts.push(`reservation_model=${p.reservation ?? 'nodes'}`, `reservation_depth=${Number.isFinite(p.backfillDepth) ? p.backfillDepth : 'unlimited'}`);
  if (p.queue === 'conservative' && p.backfillWindow !== undefined) parts.push(`window=${p.backfillWindow} s`);
  return parts.join(' ');
}
