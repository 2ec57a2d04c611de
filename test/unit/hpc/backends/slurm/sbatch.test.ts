import { describe, expect, it } from 'vitest';
import {
  countFlooredLimits, expectedRunSeconds, parseSbatchJobId, payloadCommand, sbatchArgv, specIdFromName, timeLimitMinutes, type SubmitOptions,
} from '../../../../../src/hpc/backends/slurm/sbatch.js';
import type { JobSpec } from '../../../../../src/hpc/workload/job.js';
import { sbatchOptions } from './schema-files.js';

const job = (over: Partial<JobSpec> = {}): JobSpec => ({ id: 7, user: 'u1', submit: 0, cores: 4, nodes: 0, gpus: 0, memoryMiB: 2048, runtime: 300, walltime: 600, ...over });
const opts: SubmitOptions = { timeScale: 0.01, payload: 'sleep', submitMemory: false, totalGpus: true };

describe('sbatchArgv', () => {
  it('asks for tasks, a scaled time limit and no output, and wraps a scaled sleep', () => {
    expect(sbatchArgv(job(), opts)).toEqual(['sbatch', '--parsable', '--job-name=bench-7', '--ntasks=4', '--time=1', '--output=/dev/null', '--wrap=sleep 3']);
  });

  it('fixes the node count when the job asks for one, with GPUs per node', () => {
    const argv = sbatchArgv(job({ nodes: 2, cores: 16, gpus: 3 }), opts);
    expect(argv).toContain('--nodes=2');
    expect(argv).toContain('--ntasks=16');
    expect(argv).toContain('--gres=gpu:2');
  });

  it('asks for total GPUs when SLURM chooses the nodes, and per node without cons_tres', () => {
    expect(sbatchArgv(job({ gpus: 2 }), opts)).toContain('--gpus=2');
    expect(sbatchArgv(job({ gpus: 2 }), { ...opts, totalGpus: false })).toContain('--gres=gpu:2');
  });

  it('sends memory only when configured', () => {
    expect(sbatchArgv(job(), opts).some((a) => a.startsWith('--mem'))).toBe(false);
    expect(sbatchArgv(job(), { ...opts, submitMemory: true })).toContain('--mem-per-cpu=512M');
    expect(sbatchArgv(job({ nodes: 2 }), { ...opts, submitMemory: true })).toContain('--mem=1024M');
  });

  it('leaves the time limit out when the job has none', () => {
    expect(sbatchArgv(job({ walltime: 0 }), opts).some((a) => a.startsWith('--time'))).toBe(false);
  });

  it('uses only sbatch options documented for 22.05, with values where they take one', () => {
    const known = sbatchOptions();
    const all = [
      ...sbatchArgv(job({ nodes: 2, gpus: 2 }), { ...opts, submitMemory: true }),
      ...sbatchArgv(job({ gpus: 1 }), { ...opts, submitMemory: true }),
    ];
    for (const a of all.filter((x) => x.startsWith('--'))) {
      const [name, val] = [a.split('=')[0] as string, a.includes('=')];
      expect(known.has(name), name).toBe(true);
      expect(known.get(name) === 'none' ? !val : val, a).toBe(true);
    }
  });
});

describe('timeLimitMinutes', () => {
  it('scales, rounds up to whole minutes, and never goes below one', () => {
    expect(timeLimitMinutes(600, 1)).toBe(10);
    expect(timeLimitMinutes(601, 1)).toBe(11);
    expect(timeLimitMinutes(3600, 0.01)).toBe(1);
    expect(timeLimitMinutes(720_000, 0.01)).toBe(120);
    expect(timeLimitMinutes(0, 1)).toBeUndefined();
    expect(countFlooredLimits([job({ walltime: 600 }), job({ walltime: 7000 })], 0.01)).toBe(1);
  });
});

describe('payloadCommand', () => {
  it('sleeps the scaled runtime, or loads one stress-ng worker per core, on every node via srun', () => {
    expect(payloadCommand(job({ runtime: 123.4567 }), { timeScale: 0.01, payload: 'sleep' })).toBe('sleep 1.235');
    expect(payloadCommand(job({ runtime: 30 }), { timeScale: 0.01, payload: 'stress-ng' })).toBe('stress-ng --cpu 4 --timeout 1s --quiet');
    expect(payloadCommand(job({ runtime: 500, nodes: 2, cores: 6 }), { timeScale: 0.01, payload: 'stress-ng' }))
      .toBe('srun --ntasks=2 --ntasks-per-node=1 stress-ng --cpu 3 --timeout 5s --quiet');
  });
});

describe('expectedRunSeconds', () => {
  it('is the payload\'s real run time, unless the time limit (whole minutes) ends the job first', () => {
    expect(expectedRunSeconds(job({ runtime: 123.4567 }), { timeScale: 0.01, payload: 'sleep' })).toBeCloseTo(1.234567);
    expect(expectedRunSeconds(job({ runtime: 30 }), { timeScale: 0.01, payload: 'stress-ng' })).toBe(1);
    expect(expectedRunSeconds(job({ runtime: 500, walltime: 100 }), { timeScale: 1, payload: 'sleep' })).toBe(120);
    expect(expectedRunSeconds(job({ runtime: 500, walltime: 0 }), { timeScale: 1, payload: 'sleep' })).toBe(500);
  });
});

describe('parseSbatchJobId', () => {
  it('reads the id from --parsable output, with or without a cluster name', () => {
    expect(parseSbatchJobId('42\n')).toBe(42);
    expect(parseSbatchJobId('42;bench1\n')).toBe(42);
    expect(parseSbatchJobId('sbatch: error: Batch job submission failed\n')).toBeUndefined();
    expect(parseSbatchJobId('')).toBeUndefined();
    expect(specIdFromName('bench-12')).toBe(12);
    expect(specIdFromName('other')).toBeUndefined();
  });
});
