import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminalState, parseSqueueJson, parseSqueueLines, SQUEUE_ARGV } from '../../../../../src/hpc/backends/slurm/squeue.js';

/** Captured from a real slurmctld 22.05.8 with `SQUEUE_ARGV` (TZ=UTC) and `squeue --json`. */
const fixture = (f: string) => readFileSync(resolve(import.meta.dirname, 'fixtures', f), 'utf8');
const utc = (h: number, m: number, s: number) => Date.UTC(2026, 10, 29, h, m, s) / 1000;

describe('parseSqueueLines', () => {
  it('reads pending, running and recently finished jobs', () => {
    const jobs = parseSqueueLines(fixture('squeue-running.txt'));
    expect(jobs).toHaveLength(9);
    const byId = new Map(jobs.map((j) => [j.slurmId, j]));
    expect(byId.get(6)).toEqual({ slurmId: 6, name: 'bench-1', state: 'RUNNING', submit: utc(14, 41, 43), start: utc(14, 41, 44), nodeCount: 1, reason: 'None', nodeList: 'c1' });
    expect(byId.get(8)).toMatchObject({ state: 'PENDING', reason: 'Priority', nodeList: '', start: utc(14, 42, 44) });
    expect(byId.get(4)).toMatchObject({ state: 'CANCELLED', nodeList: '' });
  });

  it('sees every job of the later poll as finished', () => {
    const jobs = parseSqueueLines(fixture('squeue-done.txt'));
    expect(jobs.every((j) => isTerminalState(j.state))).toBe(true);
    expect(isTerminalState('COMPLETING')).toBe(false);
    expect(isTerminalState('PENDING')).toBe(false);
  });

  it('skips lines that are not jobs and polls in UTC', () => {
    expect(parseSqueueLines('slurm_load_jobs error: Unable to contact slurm controller\n\n')).toEqual([]);
    expect(SQUEUE_ARGV.slice(0, 3)).toEqual(['env', 'TZ=UTC', 'squeue']);
  });
});

describe('parseSqueueJson', () => {
  it('reads the 22.05 JSON with epoch-second times', () => {
    const jobs = parseSqueueJson(fixture('squeue.json'));
    expect(jobs.map((j) => [j.slurmId, j.name, j.state])).toEqual([[3, 'j3', 'TIMEOUT'], [4, 'j4', 'CANCELLED'], [6, 'bench-1', 'RUNNING'], [8, 'bench-3', 'PENDING']]);
    expect(jobs[2]).toMatchObject({ submit: utc(14, 41, 43), start: utc(14, 41, 44), nodeList: 'c1', nodeCount: 1 });
    expect(() => parseSqueueJson('{"errors": []}')).toThrow(/no "jobs" array/);
  });
});
