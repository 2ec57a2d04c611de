/**
 * The remote sampler loop run for real with this machine's sh and /proc: snapshots accumulate,
 * the reader stops the loop and removes its file, a closed channel ends the loop, and a snapshot
 * cut short is left out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockOffsetS, parseSamplerLog, samplerLoopScript, samplerReadScript } from '../../../../src/hpc/host-sampling/sampler-loop.js';
import { exited } from '../../../support/procs.js';
import { until } from '../../../support/wait.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'bench-sampler-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ends = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n@@end').length - 1 : 0);

describe('sampler loop', () => {
  it('takes a snapshot per interval until the reader stops it; the reader returns them all and removes the file', async () => {
    const file = join(dir, 'bench-sampler-x-head.txt');
    const loop = spawn('sh', ['-c', samplerLoopScript(file, 0.05)], { stdio: ['ignore', 'pipe', 'ignore'] });
    loop.stdout.resume();
    await until('three snapshots', () => ends(file) >= 3 || undefined, 20_000);
    const sent = Date.now();
    const read = spawnSync('sh', ['-c', samplerReadScript(file)], { encoding: 'utf8' });
    const { samples, hostNow } = parseSamplerLog(read.stdout);
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < samples.length; i++) expect((samples[i]?.t ?? 0)).toBeGreaterThan(samples[i - 1]?.t ?? Infinity);
    expect(samples[0]?.counters.cpuTotal).toBeGreaterThan(0);
    expect(samples[0]?.counters.memUsed).toBeGreaterThan(0);
    // Same machine, same clock: the offset is within the read's own duration.
    expect(Math.abs(clockOffsetS(hostNow ?? 0, sent, Date.now()))).toBeLessThan(5);
    await until('the loop to exit', () => exited(loop.pid ?? 0) || undefined, 20_000);
    expect(existsSync(file)).toBe(false);
  });

  it('ends by itself once the channel it was started on is closed', async () => {
    const file = join(dir, 'bench-sampler-y-c1.txt');
    const loop = spawn('sh', ['-c', samplerLoopScript(file, 0.05)], { stdio: ['ignore', 'pipe', 'ignore'] });
    await until('a snapshot', () => ends(file) >= 1 || undefined, 20_000);
    loop.stdout.destroy();
    await until('the loop to exit', () => exited(loop.pid ?? 0) || undefined, 20_000);
  });

  it('leaves a process alone whose PID the file names but which is not the loop', () => {
    const file = join(dir, 'bench-sampler-z-c2.txt');
    const other = spawn('sleep', ['30']);
    try {
      spawnSync('sh', ['-c', `echo "@@pid ${other.pid ?? 0}" > '${file}'`]);
      spawnSync('sh', ['-c', samplerReadScript(file)]);
      expect(exited(other.pid ?? 0)).toBe(false);
    } finally {
      other.kill();
    }
  });

  it('drops a snapshot cut short and one that does not parse', () => {
    const snap = (t: number, cpu: number) => `@@ ${t}\n==> /proc/stat\ncpu ${cpu} 0 0 100 0 0 0 0\n==> /proc/meminfo\nMemTotal: 100 kB\nMemAvailable: 40 kB\n==> /proc/diskstats\n==> /proc/net/dev\n@@end\n`;
    const text = `@@pid 1\n${snap(1000.5, 10)}${snap(1001.5, 20)}@@ 1002.0\n==> /proc/stat\ngarbage\n@@end\n@@ 1003.5\n==> /proc/stat\ncpu 3\n@@now 1004.25\n`;
    const { samples, hostNow } = parseSamplerLog(text);
    expect(samples.map((s) => s.t)).toEqual([1000.5, 1001.5]);
    expect(samples[1]?.counters.memUsed).toBe(60 * 1024);
    expect(hostNow).toBe(1004.25);
  });
});
