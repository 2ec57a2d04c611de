import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobStateFromSlurm, parseJobcomp, parseJobcompLine, splitFields } from '../../../../../src/hpc/backends/slurm/jobcomp.js';
import { slurmTimeToEpoch } from '../../../../../src/hpc/backends/slurm/slurm-time.js';

/** Written by a real slurmctld 22.05.8 (TZ=UTC): completed, failed, cancelled while pending and while running, timed out. */
const text = readFileSync(resolve(import.meta.dirname, 'fixtures/jobcomp.txt'), 'utf8');

describe('parseJobcomp', () => {
  const jobs = parseJobcomp(text);

  it('reads every line of a real file by SLURM job id', () => {
    expect([...jobs.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads times as epoch seconds, nodes and CPUs', () => {
    const j = jobs.get(6);
    expect(j).toMatchObject({ name: 'bench-1', slurmState: 'COMPLETED', state: 'completed', nodeList: 'c1', nodeCount: 1, procCount: 3, exitCode: '0:0' });
    expect(j?.submit).toBe(Date.UTC(2026, 10, 29, 14, 41, 43) / 1000);
    expect(j?.start).toBe(Date.UTC(2026, 10, 29, 14, 41, 44) / 1000);
    expect(j?.end).toBe(Date.UTC(2026, 10, 29, 14, 41, 49) / 1000);
  });

  it('maps SLURM states to bench outcomes', () => {
    expect([1, 2, 3, 4, 5].map((id) => jobs.get(id)?.state)).toEqual(['completed', 'failed', 'timeout', 'cancelled', 'cancelled']);
    expect(jobs.get(2)?.exitCode).toBe('3:0');
  });

  it('keeps a job cancelled while pending as never placed', () => {
    expect(jobs.get(4)).toMatchObject({ nodeList: '(null)', nodeCount: 0 });
  });

  it('keeps the last line of a requeued job and skips lines cut short', () => {
    const line = text.split('\n')[0] as string;
    const twice = parseJobcomp(`${line}\n${line.replace('JobState=COMPLETED', 'JobState=NODE_FAIL')}\nJobId=10 UserId=root(0) Name=x`);
    expect(twice.get(1)?.state).toBe('failed');
    expect(twice.has(10)).toBe(false);
  });

  it('reads local times in the daemon\'s time zone', () => {
    const line = (text.split('\n')[0] as string).replace(/StartTime=\S+/, 'StartTime=2026-07-01T12:00:00');
    expect(parseJobcompLine(line, 'Europe/Berlin')?.start).toBe(Date.UTC(2026, 6, 1, 10, 0, 0) / 1000);
  });
});

describe('splitFields', () => {
  it('lets a value hold blanks and equals signs', () => {
    const f = splitFields('JobId=3 WorkDir=/home/a b Tres=cpu=1,mem=2G Account=');
    expect(f.get('WorkDir')).toBe('/home/a b');
    expect(f.get('Tres')).toBe('cpu=1,mem=2G');
    expect(f.get('Account')).toBe('');
  });
});

describe('jobStateFromSlurm', () => {
  it('maps every terminal state', () => {
    expect(['COMPLETED', 'TIMEOUT', 'CANCELLED', 'PREEMPTED', 'DEADLINE', 'FAILED', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL'].map(jobStateFromSlurm))
      .toEqual(['completed', 'timeout', 'cancelled', 'cancelled', 'cancelled', 'failed', 'failed', 'failed', 'failed']);
    expect(jobStateFromSlurm('CANCELLED by 0')).toBe('cancelled');
  });
});

describe('slurmTimeToEpoch', () => {
  it('converts local wall time in a zone, across daylight-saving changes', () => {
    expect(slurmTimeToEpoch('2026-01-15T08:30:00')).toBe(Date.UTC(2026, 0, 15, 8, 30) / 1000);
    expect(slurmTimeToEpoch('2026-01-15T08:30:00', 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 13, 30) / 1000);
    expect(slurmTimeToEpoch('2026-07-15T08:30:00', 'America/New_York')).toBe(Date.UTC(2026, 6, 15, 12, 30) / 1000);
    // 02:30 happens twice in Berlin on 2026-10-25: the earlier (summer time) reading is taken.
    expect(slurmTimeToEpoch('2026-10-25T02:30:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30) / 1000);
    // 02:30 does not exist on 2026-03-29: read with the offset before the gap.
    expect(slurmTimeToEpoch('2026-03-29T02:30:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30) / 1000);
    expect(slurmTimeToEpoch('Unknown')).toBeUndefined();
    expect(slurmTimeToEpoch('N/A')).toBeUndefined();
  });
});
