import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readArrowFile, writeArrowFile } from '../../../../src/hpc/results/arrow-file.js';
import { exportTable } from '../../../../src/hpc/results/export-table.js';
import { hostSeriesToTable } from '../../../../src/hpc/results/host-series.js';
import { jobsToTable, tableToJobs } from '../../../../src/hpc/results/jobs-table.js';
import { runMetricsToTable, sweepMetricsToTable, tableToSweepMetrics, type SweepMetricsRow } from '../../../../src/hpc/results/metrics-table.js';
import type { JobRecord } from '../../../../src/hpc/workload/job.js';

const jobs: JobRecord[] = [
  { id: 1, user: 'alice', submit: 0, start: 0.5, end: 100.25, cores: 8, nodes: 1, gpus: 0, state: 'completed', backfilled: false },
  { id: 2, user: 'bob', submit: 3, start: 10, end: 70, cores: 64, nodes: 2, gpus: 4, state: 'timeout', backfilled: true },
  { id: 3, user: 'alice', submit: 4, start: 100.25, end: 101, cores: 1, nodes: 1, gpus: 0, state: 'failed', backfilled: false },
];

const sweep: SweepMetricsRow[] = [
  { pointId: 'small-slurm-mixed', configHash: 'aa11', reps: 3, config: { topology: 'small', scheduler: 'slurm', 'scheduler.bf_window': 60 }, metrics: { makespan: { mean: 1000.5, ci95: 12.25 }, fairness: { mean: 0.9, ci95: 0.01 } } },
  { pointId: 'large-flux-mixed', configHash: 'bb22', reps: 3, config: { topology: 'large', scheduler: 'flux' }, metrics: { makespan: { mean: 800, ci95: 3 }, fairness: { mean: 0.7, ci95: 0.02 } } },
];

/**
 * An Arrow IPC file is `ARROW1\0\0`, the record-batch and dictionary messages, the footer (which
 * holds the schema), its int32 length and `ARROW1`. parquet-wasm only opens streams, so the test
 * puts a schema message in front of the file's own message bytes; arrow-rs then decodes every
 * dictionary and record batch exactly as written to disk.
 */
function fileBodyAsStream(bytes: Uint8Array): Uint8Array {
  expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('ARROW1');
  expect(new TextDecoder().decode(bytes.subarray(bytes.length - 6))).toBe('ARROW1');
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const footerLen = view.getInt32(bytes.length - 10, true);
  const body = bytes.subarray(8, bytes.length - 10 - footerLen);
  const stream = tableToIPC(tableFromIPC(bytes), 'stream');
  const sv = new DataView(stream.buffer, stream.byteOffset);
  expect(sv.getUint32(0, true)).toBe(0xffffffff);
  const schemaMsg = stream.subarray(0, 8 + sv.getInt32(4, true));
  const out = new Uint8Array(schemaMsg.length + body.length);
  out.set(schemaMsg);
  out.set(body, schemaMsg.length);
  return out;
}

/** Decoded by arrow-rs (parquet-wasm), re-encoded by it, and only then looked at. */
function throughArrowRs(fileBytes: Uint8Array): Table {
  const t = pq.Table.fromIPCStream(fileBodyAsStream(fileBytes));
  return tableFromIPC(t.intoIPCStream());
}

function typesOf(t: Table): Record<string, string> {
  return Object.fromEntries(t.schema.fields.map((f) => [f.name, String(f.type)]));
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-results-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jobs table', () => {
  it('round-trips through our reader and is read with the declared types by arrow-rs', async () => {
    const path = join(dir, 'runs', 'p', 'jobs.arrow');
    await writeArrowFile(path, jobsToTable(jobs));
    expect(tableToJobs(await readArrowFile(path))).toEqual(jobs);

    const other = throughArrowRs(await readFile(path));
    expect(typesOf(other)).toEqual({
      id: 'Int32', user: 'Dictionary<Int32, Utf8>', submit: 'Float64', start: 'Float64', end: 'Float64',
      cores: 'Int32', nodes: 'Int32', gpus: 'Int32', state: 'Dictionary<Int32, Utf8>', backfilled: 'Bool',
    });
    expect(tableToJobs(other)).toEqual(jobs);
  });
});

describe('metrics tables', () => {
  it('writes metric names as columns, taken from the data', async () => {
    const t = runMetricsToTable([{ pointId: 'p-r0', rep: 0, configHash: 'h', topology: 's', scheduler: 'slurm', workload: 'mixed', metrics: { makespan: 5, new_metric: 7 } }]);
    const path = join(dir, 'm.arrow');
    await writeArrowFile(path, t);
    const other = throughArrowRs(await readFile(path));
    expect(typesOf(other)['new_metric']).toBe('Float64');
    expect(other.getChild('new_metric')?.get(0)).toBe(7);
    expect(other.getChild('rep')?.type.toString()).toBe('Int32');
  });

  it('sweep metrics.arrow has mean and _ci95 per metric plus config columns, readable by arrow-rs', async () => {
    const path = join(dir, 'metrics.arrow');
    await writeArrowFile(path, sweepMetricsToTable(sweep));
    const back = tableToSweepMetrics(await readArrowFile(path));
    expect(back[0]).toEqual(sweep[0]);
    // The second point has no bf_window: the column is null there, not a made-up value.
    expect(back[1]?.config).toEqual({ topology: 'large', scheduler: 'flux' });

    const other = throughArrowRs(await readFile(path));
    expect(typesOf(other)).toMatchObject({ point_id: 'Utf8', reps: 'Int32', topology: 'Utf8', 'scheduler.bf_window': 'Float64', makespan: 'Float64', makespan_ci95: 'Float64' });
    expect(other.getChild('makespan_ci95')?.toArray()).toEqual(Float64Array.from([12.25, 3]));
    expect(other.schema.metadata.get('bench.table')).toBe('sweep-metrics');
  });
});

describe('host series', () => {
  it('is readable by arrow-rs with its values', async () => {
    const path = join(dir, 'hosts.arrow');
    const s = { host: 'n1', t: 1.5, cpuBusy: 0.25, memUsed: 1e9, diskRead: 10, diskWrite: 20, netRx: 30, netTx: 40 };
    await writeArrowFile(path, hostSeriesToTable([s, { ...s, host: 'n2', t: 2 }]));
    const other = throughArrowRs(await readFile(path));
    expect(other.numRows).toBe(2);
    expect(other.getChild('host')?.get(1)).toBe('n2');
    expect(other.getChild('cpu_busy')?.get(0)).toBe(0.25);
  });
});

describe('exportTable', () => {
  const table = sweepMetricsToTable(sweep);

  it('writes CSV with a header and empty cells for missing values', async () => {
    const csv = new TextDecoder().decode(await exportTable(table, 'csv')).trim().split('\n');
    expect(csv[0]).toBe('point_id,config_hash,reps,topology,scheduler,scheduler.bf_window,makespan,makespan_ci95,fairness,fairness_ci95');
    expect(csv[2]).toBe('large-flux-mixed,bb22,3,large,flux,,800,3,0.7,0.02');
  });

  it('writes JSON rows', async () => {
    const rows = JSON.parse(new TextDecoder().decode(await exportTable(table, 'json'))) as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ point_id: 'small-slurm-mixed', makespan: 1000.5, 'scheduler.bf_window': 60 });
    expect(rows[1]?.['scheduler.bf_window']).toBeNull();
  });

  it('writes Parquet that arrow-rs reads back with the same values', async () => {
    const bytes = await exportTable(table, 'parquet');
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    const back = tableFromIPC(pq.readParquet(bytes).intoIPCStream());
    expect(back.numRows).toBe(2);
    expect(back.getChild('makespan')?.toArray()).toEqual(Float64Array.from([1000.5, 800]));
    expect(back.getChild('point_id')?.get(1)).toBe('large-flux-mixed');
  });
});
