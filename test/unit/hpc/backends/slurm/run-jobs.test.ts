import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSubmitOutput, submitScript } from '../../../../../src/hpc/backends/slurm/run-jobs.js';
import type { JobSpec } from '../../../../../src/hpc/workload/job.js';

const job = (id: number): JobSpec => ({ id, user: 'u', submit: 0, cores: 2, nodes: 0, gpus: 0, memoryMiB: 0, runtime: 10, walltime: 100 });
const dir = mkdtempSync(join(tmpdir(), 'bench-submit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('batched submission', () => {
  it('runs sbatch once per job in one script and reads back each id or rejection', () => {
    // A stand-in sbatch: accepts odd job names, rejects even ones the way sbatch does.
    writeFileSync(join(dir, 'sbatch'), `#!/bin/sh
case "$2" in
  *[13579]) echo "$((40 + \${2##*-}))" ;;
  *) echo "sbatch: error: Batch job submission failed: Requested node configuration is not available" >&2; exit 1 ;;
esac
`);
    chmodSync(join(dir, 'sbatch'), 0o755);
    const out = execFileSync('sh', ['-c', submitScript([job(1), job(2), job(3)], { timeScale: 1, payload: 'sleep', submitMemory: false, totalGpus: true })], {
      env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` }, encoding: 'utf8',
    });
    const results = parseSubmitOutput(out);
    expect(results.get(1)).toEqual({ kind: 'submitted', slurmId: 41 });
    expect(results.get(3)).toEqual({ kind: 'submitted', slurmId: 43 });
    expect(results.get(2)).toEqual({ kind: 'rejected', message: 'sbatch: error: Batch job submission failed: Requested node configuration is not available (exit 1)' });
  });

  it('passes the wrapped command as one argument', () => {
    expect(submitScript([job(5)], { timeScale: 0.5, payload: 'sleep', submitMemory: false, totalGpus: true })).toContain("'--wrap=sleep 5'");
  });
});
