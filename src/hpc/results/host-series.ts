/** Host time series of a real run (schema: HOST_SERIES_SCHEMA). */
import { Dictionary, Float64, Int32, Utf8, vectorFromArray, type Table } from 'apache-arrow';
import { makeTaggedTable } from './arrow-file.js';

/** One sample of one host; counters are cumulative since the host came up. */
export interface HostSample {
  host: string;
  t: number;
  cpuBusy: number;
  memUsed: number;
  diskRead: number;
  diskWrite: number;
  netRx: number;
  netTx: number;
}

/** Builds the host time-series table. */
export function hostSeriesToTable(samples: readonly HostSample[]): Table {
  const f64 = (pick: (s: HostSample) => number) => vectorFromArray(samples.map(pick), new Float64());
  return makeTaggedTable(
    'host-series',
    {
      host: vectorFromArray(samples.map((s) => s.host), new Dictionary(new Utf8(), new Int32())),
      t: f64((s) => s.t),
      cpu_busy: f64((s) => s.cpuBusy),
      mem_used: f64((s) => s.memUsed),
      disk_read: f64((s) => s.diskRead),
      disk_write: f64((s) => s.diskWrite),
      net_rx: f64((s) => s.netRx),
      net_tx: f64((s) => s.netTx),
    },
    { host: 'id', t: 'value', cpu_busy: 'value', mem_used: 'value', disk_read: 'value', disk_write: 'value', net_rx: 'value', net_tx: 'value' },
  );
}
