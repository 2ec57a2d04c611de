import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSacct, sacctArgv } from '../../../../../src/hpc/backends/slurm/sacct.js';

/**
 * `SLURM_TIME_FORMAT=%s sacct -P -X --format=<SACCT_FIELDS>` as SLURM 22.05.8 printed it (read from
 * the jobcomp file with `-c`, the same output format as from slurmdbd): completed, failed,
 * cancelled while running and while pending, and the two tasks of an array job.
 */
const text = readFileSync(resolve(import.meta.dirname, 'fixtures/sacct.txt'), 'utf8');

describe('sacct', () => {
  const jobs = new Map(parseSacct(text).map((j) => [j.slurmId, j]));

  it('reads every finished job, skipping the header, times as epoch seconds', () => {
    expect([...jobs.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(jobs.get(1)).toEqual({
      slurmId: 1, name: 'bench-1', slurmState: 'COMPLETED', state: 'completed', submit: 1795965303, start: 1795965303, end: 1795965305,
      nodeList: 'c1', nodeCount: 1, procCount: 1, exitCode: '0:0',
    });
    expect(jobs.get(2)).toMatchObject({ nodeList: 'c[1-2]', nodeCount: 2, procCount: 2 });
    expect(jobs.get(3)).toMatchObject({ state: 'failed', exitCode: '3:0' });
  });

  it('keeps a job cancelled while pending as never placed', () => {
    expect(jobs.get(6)).toMatchObject({ state: 'cancelled', nodeCount: 0, nodeList: '(null)' });
    expect(jobs.get(5)).toMatchObject({ state: 'cancelled', nodeCount: 2 });
  });

  it('leaves out jobs not ended, job steps and array or het components; reads "CANCELLED by" and "None assigned"', () => {
    const more = [
      '11|bench-1|RUNNING|1795965303|1795965304|Unknown|1|2|c1|0:0',
      '12|bench-2|PENDING|1795965303|Unknown|Unknown|1|0|None assigned|0:0',
      '13|bench-3|CANCELLED by 0|1795965303|None|1795965310|1|0|None assigned|0:15',
      '14_2|bench-4|COMPLETED|1795965303|1795965303|1795965305|1|1|c1|0:0',
      '15+0|bench-5|COMPLETED|1795965303|1795965303|1795965305|1|1|c1|0:0',
      '16.batch|batch|COMPLETED|1795965303|1795965303|1795965305|1|1|c1|0:0',
    ].join('\n');
    expect(parseSacct(more)).toEqual([{
      slurmId: 13, name: 'bench-3', slurmState: 'CANCELLED by 0', state: 'cancelled', submit: 1795965303, start: undefined, end: 1795965310,
      nodeList: 'None assigned', nodeCount: 0, procCount: 0, exitCode: '0:15',
    }]);
  });

  it('asks for epoch times in UTC, allocations only, no header', () => {
    expect(sacctArgv([4, 5])).toEqual(['env', 'TZ=UTC', 'SLURM_TIME_FORMAT=%s', 'sacct', '-n', '-P', '-X', '-j', '4,5',
      '--format=JobID,JobName,State,Submit,Start,End,NNodes,AllocCPUS,NodeList,ExitCode']);
  });
});
