import { describe, expect, it } from 'vitest';
import { estimateStartMs, PollSchedule } from '../../../../../src/hpc/backends/slurm/poll-interval.js';

const limits = { minMs: 500, maxMs: 5000 };

/** Polls that each take `tookMs`, at the times the schedule asks for; returns the rest before each. */
function idlePolls(s: PollSchedule, n: number, fromMs: number, tookMs = 0, ends: number[] = []): number[] {
  const rests: number[] = [];
  let answered = fromMs;
  for (let i = 0; i < n; i++) {
    const at = s.nextAt(ends);
    rests.push(at - answered);
    answered = at + tookMs;
    s.polled(at, answered, false);
  }
  return rests;
}

describe('PollSchedule', () => {
  it('starts at the minimum and doubles while nothing changes, up to the maximum', () => {
    const s = new PollSchedule(limits, 0);
    expect(idlePolls(s, 7, 0)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('counts the rest from the end of a poll, so a slow squeue still leaves the head the minimum', () => {
    const s = new PollSchedule(limits, 0);
    expect(idlePolls(s, 3, 0, 800)).toEqual([500, 1000, 2000]);
  });

  it('goes back to the minimum when a poll sees a change', () => {
    const s = new PollSchedule(limits, 0);
    idlePolls(s, 5, 0);
    expect(s.currentMs).toBe(5000);
    s.polled(20_000, 20_100, true);
    expect(s.nextAt()).toBe(20_600);
  });

  it('goes back to the minimum when a batch of jobs went out, counted from the batch', () => {
    const s = new PollSchedule(limits, 0);
    s.polled(10_000, 10_000, false);
    s.polled(11_000, 11_000, false);
    expect(s.nextAt()).toBe(13_000);
    s.reset(11_700);
    expect(s.nextAt()).toBe(12_200);
  });

  it('treats a batch that went out during a poll as a change, since the poll may have missed it', () => {
    const s = new PollSchedule(limits, 0);
    idlePolls(s, 4, 0);
    s.reset(20_050);
    s.polled(20_000, 20_300, false);
    expect(s.nextAt()).toBe(20_800);
    s.polled(20_800, 20_900, false);
    expect(s.nextAt()).toBe(21_900);
  });

  it('never rests past a running job\'s expected end by more than the minimum', () => {
    const s = new PollSchedule(limits, 0);
    // Polls at 0.5, 1.5, 3.5, 7.5 and 12.5 s; idle, the next would be 5 s later.
    idlePolls(s, 5, 0);
    expect(s.nextAt()).toBe(17_500);
    expect(s.nextAt([14_000, 19_000])).toBe(14_500);
    expect(s.nextAt([16_000, 13_000])).toBe(13_500);
    expect(s.nextAt([30_000])).toBe(17_500);
  });

  it('still keeps the minimum rest when an expected end falls right after a poll', () => {
    const s = new PollSchedule(limits, 0);
    s.polled(10_000, 10_400, false);
    expect(s.nextAt([10_200])).toBe(10_900);
  });

  it('spends an expected end once a poll was asked after it, then backs off again', () => {
    const s = new PollSchedule(limits, 0);
    idlePolls(s, 4, 0);
    const end = 9_000;
    const at = s.nextAt([end]);
    expect(at).toBe(9_500);
    s.polled(at, at, false);
    // The job outran its estimate: no more polling at the minimum for it.
    expect(s.nextAt([end])).toBe(at + 5000);
  });

  it('respects the minimum even when the maximum equals it (the old fixed interval)', () => {
    const s = new PollSchedule({ minMs: 500, maxMs: 500 }, 1000);
    expect(idlePolls(s, 4, 1000)).toEqual([500, 500, 500, 500]);
  });

  it('refuses limits that make no schedule', () => {
    expect(() => new PollSchedule({ minMs: 0, maxMs: 10 }, 0)).toThrow(/poll limits/);
    expect(() => new PollSchedule({ minMs: 500, maxMs: 100 }, 0)).toThrow(/poll limits/);
  });
});

describe('estimateStartMs', () => {
  it('takes squeue\'s whole-second start as the end of that second, within the polls that bracket it', () => {
    expect(estimateStartMs(100, 99_000, 103_000)).toBe(101_000);
    expect(estimateStartMs(100, 100_600, 103_000)).toBe(101_000);
    // SLURM's clock ahead of or behind this one: the polls bound the guess.
    expect(estimateStartMs(200, 99_000, 103_000)).toBe(103_000);
    expect(estimateStartMs(50, 99_000, 103_000)).toBe(99_000);
    expect(estimateStartMs(undefined, 99_000, 103_000)).toBe(103_000);
    expect(estimateStartMs(100, -Infinity, 103_000)).toBe(101_000);
  });
});
