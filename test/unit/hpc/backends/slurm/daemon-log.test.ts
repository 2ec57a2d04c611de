import { describe, expect, it } from 'vitest';
import { errorLines, ignoredSettings, keysNamedIn, rejectionMessage } from '../../../../../src/hpc/backends/slurm/daemon-log.js';

/** Lines from real slurmctld 22.05.8 logs and start-up stderr on netns hosts. */
const ctldLog = `[2026-11-29T14:45:48.502] error:  mpi/pmix_v4: init: (null) [0]: mpi_pmix.c:195: pmi/pmix: can not load PMIx library
[2026-11-29T14:45:48.502] error: Couldn't load specified plugin name for mpi/pmix_v4: Plugin init() callback failed
[2026-11-29T14:45:48.548] error: Could not open job state file /var/spool/slurmctld/job_state: No such file or directory
[2026-11-29T14:45:48.548] error: NOTE: Trying backup state save file. Jobs may be lost!
[2026-11-29T14:45:48.549] error: PriorityWeightAge can only be used with SlurmDBD, ignoring
[2026-11-29T14:45:48.549] error: PriorityWeightFairshare can only be used with SlurmDBD, ignoring
[2026-11-29T14:45:48.550] slurmctld version 22.05.8 started on cluster bench91b73c`;
const bogusSched = `[2026-11-29T14:52:27.372] error: Couldn't find the specified plugin name for sched/bogus looking at all files
[2026-11-29T14:52:27.374] error: cannot find sched plugin for sched/bogus
[2026-11-29T14:52:27.374] fatal: Failed to initialize sched plugin`;
const unknownKey = `slurmctld: error: _parse_next_key: Parsing error at unrecognized key: Foo
slurmctld: fatal: Unable to process configuration file`;
const config = { kind: 'slurm', SchedulerType: 'sched/bogus', SelectTypeParameters: 'CR_Core_Memory', PriorityWeightAge: 1000, PriorityWeightFairshare: 10000, ReturnToService: 1, SchedulerParameters: { bf_interval: 1 } };

describe('daemon logs', () => {
  it('keeps error and fatal lines, without the noise every start logs here', () => {
    expect(errorLines(ctldLog)).toEqual([
      '[2026-11-29T14:45:48.549] error: PriorityWeightAge can only be used with SlurmDBD, ignoring',
      '[2026-11-29T14:45:48.549] error: PriorityWeightFairshare can only be used with SlurmDBD, ignoring',
    ]);
    expect(errorLines(bogusSched)).toHaveLength(3);
  });

  it('lists settings slurmctld accepts but ignores, in its words', () => {
    expect(ignoredSettings(ctldLog)).toEqual(['error: PriorityWeightAge can only be used with SlurmDBD, ignoring', 'error: PriorityWeightFairshare can only be used with SlurmDBD, ignoring']);
  });

  it('finds the key behind a rejected value, an unrecognized key, or a key named in the line', () => {
    expect(keysNamedIn(errorLines(bogusSched), config)).toEqual(['SchedulerType']);
    expect(keysNamedIn(errorLines(unknownKey), { Foo: 'bar' })).toEqual(['Foo']);
    expect(keysNamedIn(['slurmctld: error: Bad SelectTypeParameter: CR_Bogus'], { ...config, SelectTypeParameters: 'CR_Bogus' })).toEqual(['SelectTypeParameters']);
    expect(keysNamedIn(['error: Invalid SchedulerParameters bf_interval=0'], config)).toEqual(['SchedulerParameters']);
    expect(keysNamedIn(['error: Unable to register: Unable to contact slurm controller (connect failure)'], config)).toEqual([]);
  });

  it('names the rejected keys first, then each source\'s lines; ignored settings are not blamed', () => {
    const msg = rejectionMessage('SLURM did not come up', [
      { source: 'head1:/var/log/slurm/slurmctld.log', lines: errorLines(`${ctldLog}\n${bogusSched}`) },
      { source: 'c1:/var/log/slurm/slurmd.log', lines: [] },
    ], config);
    expect(msg.split('\n')[0]).toBe('SLURM did not come up: SLURM rejected scheduler.SchedulerType (sched/bogus)');
    expect(msg).toContain('head1:/var/log/slurm/slurmctld.log:\n  [2026-11-29T14:45:48.549] error: PriorityWeightAge');
    expect(msg).toContain('fatal: Failed to initialize sched plugin');
    expect(msg).not.toContain('c1:');
  });
});
