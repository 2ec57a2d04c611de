import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseDiskstats, parseMeminfo, parseNetDev, parseProcSnapshot, parseProcStat, PROC_SNAPSHOT_SCRIPT, toHostSample,
} from '../../../../src/hpc/host-sampling/proc-sample.js';

/** /proc files of this machine, read twice a second apart. */
const proc = (f: string, n: 1 | 2) => readFileSync(resolve(import.meta.dirname, 'fixtures', `proc-${f}.${n}`), 'utf8');
const snapshot = (n: 1 | 2) => ['stat', 'meminfo', 'diskstats', 'net_dev']
  .map((f) => `==> /proc/${f.replace('_', '/')}\n${proc(f, n)}`).join('');

describe('proc parsers', () => {
  it('reads the aggregate CPU line without counting guest time twice', () => {
    expect(parseProcStat(proc('stat', 1))).toEqual({ busy: 59861, total: 97092 });
    expect(() => parseProcStat('intr 1 2')).toThrow(/no aggregate/);
  });

  it('reads memory in use as MemTotal − MemAvailable in bytes', () => {
    expect(parseMeminfo(proc('meminfo', 1))).toBe(619708416);
  });

  it('sums whole disks only, in bytes', () => {
    expect(parseDiskstats(proc('diskstats', 1))).toEqual({ read: 843056128, write: 4249391104 });
    const withParts = [
      '   8       0 sda 10 0 100 0 20 0 200 0 0 0 0',
      '   8       1 sda1 9 0 90 0 19 0 190 0 0 0 0',
      ' 259       0 nvme0n1 1 0 4 0 2 0 8 0 0 0 0',
      ' 259       1 nvme0n1p1 1 0 4 0 2 0 8 0 0 0 0',
      ' 253       0 dm-0 5 0 50 0 5 0 50 0 0 0 0',
    ].join('\n');
    expect(parseDiskstats(withParts)).toEqual({ read: 104 * 512, write: 208 * 512 });
  });

  it('sums every interface but loopback', () => {
    expect(parseNetDev(proc('net_dev', 1))).toEqual({ rx: 412269271, tx: 852038 });
  });
});

describe('host samples', () => {
  it('reads one snapshot of the four files and turns two into a row', () => {
    expect(PROC_SNAPSHOT_SCRIPT).toContain("echo '==> /proc/net/dev'; cat /proc/net/dev");
    const a = parseProcSnapshot(snapshot(1));
    const b = parseProcSnapshot(snapshot(2));
    const row = toHostSample('c1', 2.5, a, b);
    expect(row.host).toBe('c1');
    expect(row.t).toBe(2.5);
    expect(row.cpuBusy).toBeCloseTo(0.601, 3);
    expect(row.diskWrite).toBe(4287569920);
    expect(row.diskWrite - a.diskWrite).toBe(38178816);
    expect(() => parseProcSnapshot('==> /proc/stat\ncpu  1 2 3 4 5 6 7 8 0 0\n')).toThrow(/\/proc\/\w+ missing/);
  });

  it('gives zero busy when no time passed, never outside 0..1', () => {
    const a = parseProcSnapshot(snapshot(1));
    expect(toHostSample('c1', 0, a, a).cpuBusy).toBe(0);
  });
});
