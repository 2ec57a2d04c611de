/**
 * Host counters from /proc, read over SSH by one `cat` per sample and turned into rows of the
 * host series (hosts.arrow). Pure parsers; `run` does the sampling.
 *
 * On the netns provider the hosts share one kernel: /proc/stat, /proc/meminfo and
 * /proc/diskstats are the machine's, only /proc/net/dev is the host's own (per namespace).
 */
import type { HostSample } from '../results/host-series.js';

/** Cumulative counters of one host at one instant. */
export interface ProcCounters {
  /** Jiffies spent busy (user, nice, system, irq, softirq, steal) and in total (plus idle, iowait). */
  cpuBusy: number;
  cpuTotal: number;
  /** MemTotal − MemAvailable, bytes. */
  memUsed: number;
  diskRead: number;
  diskWrite: number;
  netRx: number;
  netTx: number;
}

const FILES = ['/proc/stat', '/proc/meminfo', '/proc/diskstats', '/proc/net/dev'] as const;
const MARK = '==> ';

/** Shell script printing the four files, each after a `==> <path>` line (as `head` does). */
export const PROC_SNAPSHOT_SCRIPT = FILES.map((f) => `echo '${MARK}${f}'; cat ${f}`).join('; ');

/** Aggregate `cpu` line of /proc/stat. Guest time is already inside user and nice, so it is not added again. */
export function parseProcStat(text: string): { busy: number; total: number } {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) throw new Error('/proc/stat: no aggregate "cpu" line');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Memory in use, bytes: MemTotal − MemAvailable (both in kB in the file). */
export function parseMeminfo(text: string): number {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    if (!m) throw new Error(`/proc/meminfo: no ${key}`);
    return Number(m[1]);
  };
  return (kb('MemTotal') - kb('MemAvailable')) * 1024;
}

/** Block devices that are not disks, or sit on disks and would count their I/O twice. */
const NOT_A_DISK = /^(loop|ram|zram|dm-|md|sr|fd|nbd)\d/;

/**
 * Bytes read and written by whole disks: sectors (always 512 bytes in this file) × 512.
 * Partitions are left out by name: a device is a partition when another listed device's name
 * followed by digits, or `p` and digits (nvme0n1p1, mmcblk0p1), makes it.
 */
export function parseDiskstats(text: string): { read: number; write: number } {
  const rows = text.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 10);
  const names = new Set(rows.map((f) => f[2] as string));
  const isPartition = (name: string) => {
    const stem = name.replace(/\d+$/, '');
    return stem !== name && (names.has(stem) || (stem.endsWith('p') && names.has(stem.slice(0, -1))));
  };
  let read = 0;
  let write = 0;
  for (const f of rows) {
    const name = f[2] as string;
    if (NOT_A_DISK.test(name) || isPartition(name)) continue;
    read += Number(f[5]) * 512;
    write += Number(f[9]) * 512;
  }
  return { read, write };
}

/** Bytes received and sent over every interface but loopback. */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo') continue;
    const f = (m[2] as string).trim().split(/\s+/).map(Number);
    if (f.length < 16) continue;
    rx += f[0] as number;
    tx += f[8] as number;
  }
  return { rx, tx };
}

/** Splits the output of `PROC_SNAPSHOT_SCRIPT` and parses each file. */
export function parseProcSnapshot(text: string): ProcCounters {
  const parts = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      current = line.slice(MARK.length).trim();
      parts.set(current, '');
    } else if (current) parts.set(current, `${parts.get(current)}${line}\n`);
  }
  const get = (f: string) => {
    const t = parts.get(f);
    if (t === undefined) throw new Error(`proc snapshot: ${f} missing`);
    return t;
  };
  const cpu = parseProcStat(get('/proc/stat'));
  const disk = parseDiskstats(get('/proc/diskstats'));
  const net = parseNetDev(get('/proc/net/dev'));
  return { cpuBusy: cpu.busy, cpuTotal: cpu.total, memUsed: parseMeminfo(get('/proc/meminfo')), diskRead: disk.read, diskWrite: disk.write, netRx: net.rx, netTx: net.tx };
}

/** One host-series row: CPU busy fraction since `prev`, the other counters as they stand at `cur`. */
export function toHostSample(host: string, t: number, prev: ProcCounters, cur: ProcCounters): HostSample {
  const dTotal = cur.cpuTotal - prev.cpuTotal;
  const cpuBusy = dTotal > 0 ? Math.min(1, Math.max(0, (cur.cpuBusy - prev.cpuBusy) / dTotal)) : 0;
  return { host, t, cpuBusy, memUsed: cur.memUsed, diskRead: cur.diskRead, diskWrite: cur.diskWrite, netRx: cur.netRx, netTx: cur.netTx };
}
