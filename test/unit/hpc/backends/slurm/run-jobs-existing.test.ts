import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqueueSource } from '../../../../../src/hpc/backends/slurm/completions.js';
import { buildJobRecords } from '../../../../../src/hpc/backends/slurm/records.js';
import { runJobs } from '../../../../../src/hpc/backends/slurm/run-jobs.js';
import { sbatchArgv } from '../../../../../src/hpc/backends/slurm/sbatch.js';
import { isNeverRunsReason, SQUEUE_ARGV } from '../../../../../src/hpc/backends/slurm/squeue.js';
import type { JobSpec } from '../../../../../src/hpc/workload/job.js';
import { localRemote, standIn } from './local-remote.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-run-existing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const job = (id: number, nodes = 0): JobSpec => ({ id, user: 'u', submit: 0, cores: 1, nodes, gpus: 0, memoryMiB: 0, runtime: 10, walltime: 100 });
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

describe('submitting to a named partition', () => {
  it('passes --partition only when one is set', () => {
    const o = { timeScale: 1, payload: 'sleep' as const, submitMemory: false, totalGpus: true };
    expect(sbatchArgv(job(1), { ...o, partition: 'debug' })).toContain('--partition=debug');
    expect(sbatchArgv(job(1), o).some((a) => a.startsWith('--partition'))).toBe(false);
  });
});

describe('jobs SLURM would keep pending forever', () => {
  it('knows the reasons that never clear from those that do', () => {
    for (const r of ['PartitionNodeLimit', 'PartitionTimeLimit', 'PartitionConfig', 'BadConstraints', 'QOSMaxCpuPerJobLimit', 'AssocMaxNodesPerJobLimit', 'QOSMaxGRESPerJob', 'InvalidAccount', 'DependencyNeverSatisfied']) {
      expect(isNeverRunsReason(r), r).toBe(true);
    }
    for (const r of ['Resources', 'Priority', 'None', 'ReqNodeNotAvail', 'QOSGrpCpuLimit', 'AssocGrpNodeLimit', 'BeginTime', 'Dependency']) expect(isNeverRunsReason(r), r).toBe(false);
  });

  it('cancels such a job, records it as failed, and still collects the others', async () => {
    const state = mkdtempSync(join(dir, 'state-'));
    const bin = mkdtempSync(join(dir, 'bin-'));
    // sbatch answers 100 + the bench id; a 3-node job stays pending with PartitionNodeLimit until scancel.
    standIn(bin, 'sbatch', `id=$((100 + \${2#--job-name=bench-})); echo "$id" >> ${state}/jobs
case "$*" in *--partition=debug*) ;; *) exit 1 ;; esac
case "$*" in *--nodes=3*) touch ${state}/stuck-$id ;; esac
echo "$id"`);
    standIn(bin, 'scancel', `for i in "$@"; do touch ${state}/cancelled-$i; done`);
    standIn(bin, 'squeue', `[ "$4" = -j ] || echo poll >> ${state}/polls
for id in $(cat ${state}/jobs 2>/dev/null); do
  if [ -f ${state}/cancelled-$id ]; then st=CANCELLED; r=None; n=''; elif [ -f ${state}/stuck-$id ]; then st=PENDING; r=PartitionNodeLimit; n=''; else st=COMPLETED; r=None; n=c1; fi
  if [ "$4" = -j ]; then echo "$id|bench-$((id - 100))|$st|1795965303|1795965304|1795965306|1|1|$n"
  else echo "$id|bench-$((id - 100))|$st|2026-11-29T15:15:03|2026-11-29T15:15:04|1|$r|$n"; fi
done`);
    const remote = localRemote(bin);
    const submitted: number[] = [];
    const specs = [job(1), job(2, 3), job(3)];
    const r = await runJobs(remote, specs, {
      submit: { timeScale: 1, payload: 'sleep', submitMemory: false, totalGpus: true, partition: 'debug' }, log: quiet,
      source: new SqueueSource(remote, { kind: 'squeue', minJobAgeS: 300 }), squeueArgv: [...SQUEUE_ARGV, '--me'], pollIntervalMs: 20,
      onSubmitted: (id) => submitted.push(id),
    });
    expect(submitted).toEqual([101, 102, 103]);
    // Lookups of finished jobs (squeue -j) are not polls.
    expect(r.squeuePolls).toBe(readFileSync(join(state, 'polls'), 'utf8').trim().split('\n').length);
    expect(r.unrunnable).toEqual(new Map([[102, 'PartitionNodeLimit']]));
    expect(readFileSync(join(state, 'jobs'), 'utf8').trim().split('\n')).toEqual(['101', '102', '103']);
    expect(r.squeueSubmits.get(101)).toBe(Date.UTC(2026, 10, 29, 15, 15, 3) / 1000);
    const records = buildJobRecords({ specs, submissions: r.submissions, completions: r.completions, timeScale: 1 });
    expect(records.map((j) => [j.id, j.state, j.nodes])).toEqual([[1, 'completed', 1], [2, 'failed', 0], [3, 'completed', 1]]);
  });
});
