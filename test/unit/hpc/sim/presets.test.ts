import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describePolicy, presetFor, slurmDuration } from '../../../../src/hpc/sim/presets.js';

const conf = (name: string) => parse(readFileSync(fileURLToPath(new URL(`../../../../conf/scheduler/${name}.yaml`, import.meta.url)), 'utf8')) as Record<string, unknown>;

describe('scheduler presets', () => {
  it('maps the project slurm config: backfill with bf_max_job_test and bf_window, multifactor priority', () => {
    const { policy, warnings } = presetFor(conf('slurm'));
    expect(policy).toMatchObject({ queue: 'conservative', backfillDepth: 500, backfillWindow: 1440 * 60, placement: 'best-fit' });
    expect(policy.priority).toMatchObject({ order: 'multifactor', weightAge: 1000, weightFairshare: 10000, favorSmall: false });
    expect(policy.priority.weightSize).toBe(1000);
    expect(policy.priority.maxAge).toBe(7 * 86400);
    // Keys that only shape real SLURM runs are named, not dropped.
    expect(warnings).toContain('scheduler.SchedulerParameters.bf_interval: not modelled by the simulator (it shapes real SLURM runs only)');
  });

  it('sched/builtin is plain FCFS; an unknown slurm key is named in a warning', () => {
    const { policy, warnings } = presetFor({ kind: 'slurm', SchedulerType: 'sched/builtin', PriorityType: 'priority/basic', MaxJobCount: 5000 });
    expect(policy.queue).toBe('fcfs');
    expect(policy.priority.order).toBe('fcfs');
    expect(warnings).toEqual(['scheduler.MaxJobCount: not modelled by the simulator']);
  });

  it('maps flux queue and match policies', () => {
    expect(presetFor(conf('flux')).policy).toMatchObject({ queue: 'easy', placement: 'first-fit', backfillDepth: 8192 });
    const hybrid = presetFor({ kind: 'flux', 'queue-policy': 'hybrid', 'policy-params': { 'reservation-depth': 4 }, 'match-policy': 'locality' });
    expect(hybrid.policy).toMatchObject({ queue: 'conservative', backfillDepth: 4, placement: 'best-fit' });
    expect(presetFor({ kind: 'flux', 'match-policy': 'hinodex' }).warnings[0]).toMatch(/match-policy/);
  });

  it('maps volcano actions and plugins', () => {
    const { policy, warnings } = presetFor(conf('kubernetes'));
    expect(policy).toMatchObject({ queue: 'easy', placement: 'best-fit' });
    expect(policy.priority.order).toBe('multifactor');
    expect(warnings).toEqual(['scheduler.volcano plugin "proportion": not modelled by the simulator']);
    expect(presetFor({ kind: 'kubernetes', volcano: { actions: ['enqueue', 'allocate'] } }).policy.queue).toBe('fcfs');
  });

  it('reads SLURM durations', () => {
    expect(slurmDuration('7-0', 0)).toBe(7 * 86400);
    expect(slurmDuration('1:30:00', 0)).toBe(5400);
    expect(slurmDuration(90, 0)).toBe(5400);
  });

  it('runs the generic scheduler as named, pooled and unlimited by default', () => {
    const { policy, warnings } = presetFor(conf('generic'));
    expect(warnings).toEqual([]);
    expect(policy).toMatchObject({ queue: 'easy', reservation: 'pool', placement: 'first-fit', backfillDepth: Infinity, priority: { order: 'fcfs' } });
    const c = presetFor({ kind: 'generic', policy: 'conservative', order: 'shortest-estimate-first', reservation_model: 'nodes', reservation_depth: 50 }).policy;
    expect(c).toMatchObject({ queue: 'conservative', reservation: 'nodes', backfillDepth: 50, priority: { order: 'sjf' } });
  });

  it('says which generic policy each preset is simulated as', () => {
    expect(describePolicy(presetFor(conf('slurm')).policy)).toMatch(/^policy=conservative order=multifactor .* reservation_model=nodes reservation_depth=500 window=86400 s$/);
    expect(describePolicy(presetFor(conf('flux')).policy)).toBe('policy=easy order=submit placement=first-fit reservation_model=nodes reservation_depth=8192');
    expect(describePolicy(presetFor({ kind: 'generic', policy: 'fcfs' }).policy)).toBe('policy=fcfs order=submit placement=first-fit');
  });
});
