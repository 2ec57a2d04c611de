import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dictionary, Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { readArrowFile, writeArrowFile } from '../../../../src/hpc/results/arrow-file.js';
import { jobsToTable, tableToJobs } from '../../../../src/hpc/results/jobs-table.js';
import type { JobRecord } from '../../../../src/hpc/workload/job.js';

const jobs: JobRecord[] = [
  { id: 1, user: 'u1', submit: 0, start: 1, end: 5, cores: 4, nodes: 1, gpus: 0, state: 'completed', backfilled: false },
  { id: 2, user: 'u2', submit: 2, start: 5, end: 9, cores: 8, nodes: 2, gpus: 1, state: 'timeout', backfilled: true },
];
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeArrowFile', () => {
  it('writes the same bytes for the same rows however many dictionaries the process made before', async () => {
    dir = mkdtempSync(join(tmpdir(), 'arrow-'));
    await writeArrowFile(join(dir, 'a.arrow'), jobsToTable(jobs));
    // apache-arrow numbers dictionaries from a process-wide counter: move it on, as 80 other runs would.
    for (let i = 0; i < 80; i++) vectorFromArray(['x'], new Dictionary(new Utf8(), new Int32()));
    await writeArrowFile(join(dir, 'b.arrow'), jobsToTable(jobs));
    expect(readFileSync(join(dir, 'b.arrow')).equals(readFileSync(join(dir, 'a.arrow')))).toBe(true);
    const back = await readArrowFile(join(dir, 'b.arrow'));
    expect(tableToJobs(back)).toEqual(jobs);
    expect(back.schema.metadata.get('bench.table')).toBe('jobs');
  });
});
