/** The per-run jobs table (schema: {@link JOBS_SCHEMA}) to and from `JobRecord[]`. */
import { Bool, Dictionary, Float64, Int32, Utf8, vectorFromArray, type Table } from 'apache-arrow';
import type { JobRecord, JobState } from '../workload/job.js';
import { makeTaggedTable } from './arrow-file.js';

const dict = (): Dictionary<Utf8, Int32> => new Dictionary(new Utf8(), new Int32());

/** Builds the jobs table of one run. */
export function jobsToTable(jobs: readonly JobRecord[]): Table {
  const f64 = (pick: (j: JobRecord) => number) => vectorFromArray(jobs.map(pick), new Float64());
  const i32 = (pick: (j: JobRecord) => number) => vectorFromArray(jobs.map(pick), new Int32());
  return makeTaggedTable(
    'jobs',
    {
      id: i32((j) => j.id),
      user: vectorFromArray(jobs.map((j) => j.user), dict()),
      submit: f64((j) => j.submit),
      start: f64((j) => j.start),
      end: f64((j) => j.end),
      cores: i32((j) => j.cores),
      nodes: i32((j) => j.nodes),
      gpus: i32((j) => j.gpus),
      state: vectorFromArray(jobs.map((j) => j.state), dict()),
      backfilled: vectorFromArray(jobs.map((j) => j.backfilled), new Bool()),
    },
    { id: 'id', user: 'value', submit: 'value', start: 'value', end: 'value', cores: 'value', nodes: 'value', gpus: 'value', state: 'value', backfilled: 'value' },
  );
}

/** Reads a jobs table back into records. */
export function tableToJobs(table: Table): JobRecord[] {
  const out: JobRecord[] = [];
  for (const row of table) {
    const r = row.toJSON() as Record<string, unknown>;
    out.push({
      id: Number(r['id']),
      user: String(r['user']),
      submit: Number(r['submit']),
      start: Number(r['start']),
      end: Number(r['end']),
      cores: Number(r['cores']),
      nodes: Number(r['nodes']),
      gpus: Number(r['gpus']),
      state: String(r['state']) as JobState,
      backfilled: Boolean(r['backfilled']),
    });
  }
  return out;
}
