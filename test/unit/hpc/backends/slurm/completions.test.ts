import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  JobcompSource, parseSqueueEnded, SacctSource, shiftJobcompTimes, SqueueSource, squeueEndedArgv, zoneShiftSeconds,
} from '../../../../../src/hpc/backends/slurm/completions.js';
import { parseJobcomp, type JobcompRecord } from '../../../../../src/hpc/backends/slurm/jobcomp.js';
import { localRemote, standIn } from './local-remote.js';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, 'fixtures', name), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'bench-completions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('squeue as the completion record', () => {
  /** `SLURM_TIME_FORMAT=%s squeue -h -t all -o '%i|%j|%T|%V|%S|%e|%D|%C|%N'` of 22.05.8, finished jobs still listed. */
  const ended = new Map(parseSqueueEnded(fixture('squeue-ended.txt')).map((j) => [j.slurmId, j]));

  it('reads finished jobs with epoch times; array tasks (7_1) are not bench jobs', () => {
    expect([...ended.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ended.get(4)).toEqual({
      slurmId: 4, name: 'bench-4', slurmState: 'CANCELLED', state: 'cancelled', submit: 1795965351, start: 1795965352, end: 1795965408,
      nodeList: 'c1', nodeCount: 1, procCount: 1, exitCode: '',
    });
    expect(ended.get(3)).toMatchObject({ state: 'failed', nodeCount: 1 });
  });

  it('takes a job with no node list as never placed, though squeue prints its requested node count', () => {
    expect(ended.get(6)).toMatchObject({ state: 'cancelled', nodeCount: 0, procCount: 8 });
  });

  it('leaves out jobs still pending or running', () => {
    expect(parseSqueueEnded('4|bench-4|PENDING|1795965351|1827501351|NONE|1|1|\n5|bench-5|RUNNING|1795965351|1795965351|1827501351|2|8|c[1-2]\n')).toEqual([]);
  });

  it('asks squeue only about the given jobs, in epoch seconds', async () => {
    expect(squeueEndedArgv([3, 4])).toEqual(['env', 'TZ=UTC', 'SLURM_TIME_FORMAT=%s', 'squeue', '-h', '-t', 'all', '-j', '3,4', '-o', '%i|%j|%T|%V|%S|%e|%D|%C|%N']);
    const bin = mkdtempSync(join(dir, 'bin-'));
    standIn(bin, 'squeue', `[ "$SLURM_TIME_FORMAT" = %s ] && [ "$5" = 4,6 ] && grep -E '^(4|6)\\|' ${JSON.stringify(resolve(import.meta.dirname, 'fixtures/squeue-ended.txt'))}`);
    const source = new SqueueSource(localRemote(bin), { kind: 'squeue', minJobAgeS: 300 });
    expect((await source.collect([4, 6])).map((j) => j.slurmId)).toEqual([6, 4]);
    expect(source.where).toMatch(/before bench saw it end \(squeue keeps finished jobs for MinJobAge=300 s/);
  });
});

describe('the jobcomp log of a cluster bench does not manage', () => {
  const log = join(dir, 'jobcomp.txt');
  const lines = fixture('jobcomp.txt').split('\n').filter(Boolean).map((l) => `${l}\n`);

  it('reads only lines written after the run started, each once, whole lines only', async () => {
    writeFileSync(log, lines.slice(0, 3).join(''));
    const source = new JobcompSource(localRemote(dir), { kind: 'jobcomp', path: log, timeZone: 'UTC' });
    await source.skipExisting();
    expect(await source.collect()).toEqual([]);
    appendFileSync(log, lines[3] as string);
    appendFileSync(log, (lines[4] as string).slice(0, 40));
    expect((await source.collect()).map((j) => j.slurmId)).toEqual([...parseJobcomp(lines[3] as string).keys()]);
    appendFileSync(log, (lines[4] as string).slice(40));
    expect((await source.collect()).map((j) => j.slurmId)).toEqual([...parseJobcomp(lines[4] as string).keys()]);
    expect(await source.collect()).toEqual([]);
  });

  it('starts over when the log was rotated (shorter than what was read)', async () => {
    writeFileSync(log, lines.slice(0, 4).join(''));
    const source = new JobcompSource(localRemote(dir), { kind: 'jobcomp', path: log, timeZone: 'UTC' });
    await source.skipExisting();
    writeFileSync(log, lines[5] as string);
    expect((await source.collect()).map((j) => j.slurmId)).toEqual([...parseJobcomp(lines[5] as string).keys()]);
  });

  it('reads nothing, without failing, from a log it cannot read', async () => {
    const source = new JobcompSource(localRemote(dir), { kind: 'jobcomp', path: join(dir, 'absent'), timeZone: 'UTC' });
    await source.skipExisting();
    expect(await source.collect()).toEqual([]);
  });

  it('reads times in the zone slurmctld writes them in', () => {
    const utc = parseJobcomp(fixture('jobcomp.txt'));
    const berlin = parseJobcomp(fixture('jobcomp.txt'), 'Europe/Berlin');
    expect((utc.get(6)?.start ?? 0) - (berlin.get(6)?.start ?? 0)).toBe(3600);
  });
});

describe('time zone check against squeue', () => {
  const rec = (slurmId: number, submit: number): JobcompRecord => ({
    slurmId, name: `bench-${slurmId}`, slurmState: 'COMPLETED', state: 'completed', submit, start: submit + 1, end: submit + 5, nodeList: 'c1', nodeCount: 1, procCount: 1, exitCode: '0:0',
  });

  it('finds no shift when the log and squeue agree, to the second', () => {
    expect(zoneShiftSeconds(new Map([[1, rec(1, 1000)], [2, rec(2, 1001)]]), new Map([[1, 1000], [2, 1001]]))).toBe(0);
    expect(zoneShiftSeconds(new Map([[1, rec(1, 1000)]]), new Map())).toBe(0);
  });

  it('corrects a log written in another zone by the quarter hours it is off', () => {
    // slurmctld in UTC+05:30 read as UTC: every time 19800 s late.
    const completions = new Map([[1, rec(1, 1000 + 19_800)], [2, rec(2, 1003 + 19_800)], [3, rec(3, 1010 + 19_800)]]);
    const r = { completions, squeueSubmits: new Map([[1, 1000], [2, 1003], [3, 1011]]) };
    expect(shiftJobcompTimes(r)).toBe(19_800);
    expect(completions.get(2)).toMatchObject({ submit: 1003, start: 1004, end: 1008 });
  });
});

describe('sacct as the completion record', () => {
  it('asks in batches and keeps going past a failing call', async () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const calls = join(bin, 'calls');
    standIn(bin, 'sacct', `echo "$5" >> ${calls}; case "$5" in 1,*) exit 1 ;; esac; echo "$5" | tr , '\\n' | sed 's/$/|bench|COMPLETED|10|11|12|1|1|c1|0:0/'`);
    const ids = Array.from({ length: 600 }, (_, i) => i + 1);
    const got = await new SacctSource(localRemote(bin)).collect(ids);
    expect(readFileSync(calls, 'utf8').trim().split('\n').map((l) => l.split(',').length)).toEqual([500, 100]);
    expect(got.map((j) => j.slurmId)).toEqual(ids.slice(500));
  });
});
