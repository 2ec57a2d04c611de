/** Reads a `hosts.arrow` back into samples; an absent file is an empty list (simulated runs have none). */
import { existsSync } from 'node:fs';
import { readArrowFile } from './arrow-file.js';
import type { HostSample } from './host-series.js';

/** The samples of `path`, or `[]` when the run recorded none. */
export async function readHostRows(path: string): Promise<HostSample[]> {
  if (!existsSync(path)) return [];
  const out: HostSample[] = [];
  for (const row of await readArrowFile(path)) {
    const r = row.toJSON() as Record<string, unknown>;
    out.push({ host: String(r['host']), t: Number(r['t']), cpuBusy: Number(r['cpu_busy']), memUsed: Number(r['mem_used']), diskRead: Number(r['disk_read']), diskWrite: Number(r['disk_write']), netRx: Number(r['net_rx']), netTx: Number(r['net_tx']) });
  }
  return out;
}
