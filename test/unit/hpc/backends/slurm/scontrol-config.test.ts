import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  durationSeconds, parseSchedulerParameters, parseScontrolConfig, recordedSettings, sameValue, schedulerOption, unappliedSettings,
} from '../../../../../src/hpc/backends/slurm/scontrol-config.js';

/** `scontrol show config` of a real slurmctld 22.05.8 that bench configured from conf/scheduler/slurm.yaml. */
const text = readFileSync(resolve(import.meta.dirname, 'fixtures/scontrol-show-config.txt'), 'utf8');
const benchConfig = parse(readFileSync(resolve(import.meta.dirname, '../../../../../conf/scheduler/slurm.yaml'), 'utf8')) as Record<string, unknown>;

describe('scontrol show config', () => {
  const config = parseScontrolConfig(text);

  it('reads every key = value line, indexed keys and empty values included, and nothing else', () => {
    expect(config.get('SLURM_VERSION')).toBe('22.05.8');
    expect(config.get('SchedulerType')).toBe('sched/backfill');
    expect(config.get('SlurmctldHost[0]')).toBe('head1(10.87.0.2)');
    expect(config.get('PowerPlugin')).toBe('');
    expect(config.get('JobCompLoc')).toBe('/var/log/slurm/jobcomp.txt');
    expect(config.get('InteractiveStepOptions')).toBe('--interactive --preserve-env --pty $SHELL');
    expect([...config.keys()].some((k) => /Configuration|Slurmctld\(primary\)/.test(k))).toBe(false);
  });

  it('records the settings that shape scheduling, numbers as numbers, unset ones left out', () => {
    const s = recordedSettings(config);
    expect(s).toMatchObject({
      SchedulerType: 'sched/backfill', SelectType: 'select/cons_tres', SelectTypeParameters: 'CR_CORE_MEMORY', PriorityType: 'priority/multifactor',
      PriorityWeightFairShare: 10000, MinJobAge: '300 sec', JobCompType: 'jobcomp/filetxt', AccountingStorageType: 'accounting_storage/none',
      SchedulerParameters: 'bf_window=1440,bf_max_job_test=500,bf_interval=1,bf_resolution=60,sched_min_interval=0,default_queue_depth=100',
    });
    expect(s).not.toHaveProperty('PriorityWeightTRES');
    expect(s).not.toHaveProperty('JobSubmitPlugins');
  });

  it('reads SchedulerParameters options, flags included, and falls back to the stated default', () => {
    expect(parseSchedulerParameters('bf_interval=1,bf_continue,bf_window=1440')).toEqual(new Map([['bf_interval', '1'], ['bf_continue', ''], ['bf_window', '1440']]));
    expect(parseSchedulerParameters('(null)').size).toBe(0);
    expect(schedulerOption(config, 'bf_interval', '30 (SLURM default)')).toBe(1);
    expect(schedulerOption(config, 'bf_continue', 'off')).toBe('off');
  });

  it('finds nothing unapplied when the cluster runs the very config, whatever scontrol\'s spelling', () => {
    // PriorityMaxAge 7-0 is printed 7-00:00:00, NO as No, CR_Core_Memory upper-cased, Fairshare as FairShare.
    expect(unappliedSettings(benchConfig, config)).toEqual([]);
  });

  it('names each config key the cluster does not follow, with the cluster\'s own value', () => {
    const lines = unappliedSettings({
      kind: 'slurm', partition: 'batch', payload: 'sleep', SchedulerType: 'sched/builtin', PriorityWeightAge: 1000,
      SchedulerParameters: { bf_interval: 30, bf_continue: true, sched_min_interval: 0 }, PreemptType: 'preempt/qos', Licenses: 'fluent:2',
    }, config);
    expect(lines).toEqual([
      expect.stringMatching(/^scheduler\.SchedulerType=sched\/builtin is not applied: .* the cluster has SchedulerType=sched\/backfill$/),
      expect.stringMatching(/^scheduler\.SchedulerParameters\.bf_interval=30 is not applied: .* has bf_interval=1$/),
      expect.stringMatching(/^scheduler\.SchedulerParameters\.bf_continue=true .* runs without bf_continue$/),
      expect.stringMatching(/^scheduler\.PreemptType=preempt\/qos .* has PreemptType=preempt\/none$/),
      expect.stringMatching(/^scheduler\.Licenses=fluent:2 .* has Licenses unset$/),
    ]);
  });

  it('compares durations, booleans and units as SLURM means them', () => {
    expect(durationSeconds('7-0')).toBe(7 * 86_400);
    expect(durationSeconds('7-00:00:00')).toBe(7 * 86_400);
    expect(durationSeconds('00:05:00')).toBe(300);
    expect(durationSeconds('5')).toBe(300);
    expect(durationSeconds('1:30')).toBe(90);
    expect(durationSeconds('UNLIMITED')).toBeUndefined();
    expect(sameValue(300, '300 sec')).toBe(true);
    expect(sameValue(true, 'Yes')).toBe(true);
    expect(sameValue('5', '00:05:00')).toBe(true);
    expect(sameValue(5, '6')).toBe(false);
    expect(sameValue('x', undefined)).toBe(false);
  });
});
