import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateJobs, loadWorkload, parseSwf } from '../../../../src/hpc/workload/index.js';
import type { GeneratedWorkload } from '../../../../src/hpc/workload/generate.js';

const traces = fileURLToPath(new URL('../../../../data/traces/', import.meta.url));
const topology = { name: 't', head_nodes: { count: 1, vcpus: 2, memory_gib: 2 }, compute_nodes: { count: 4, vcpus: 8, memory_gib: 32, gpus: 1 } };
const gen: GeneratedWorkload = {
  kind: 'generated', jobs: 300, users: 5, arrival: { mean_interarrival_s: 10 }, cores: { min: 1, max: 64 },
  gpus_per_job: { probability: 0.5, max: 2 }, runtime_s: { median: 100, sigma: 1, max: 1000 },
  walltime: { overestimate_factor: { min: 1.5, max: 2 } },
};

describe('generated workloads', () => {
  it('are the same for a seed and differ between seeds', () => {
    expect(generateJobs(gen, 7)).toEqual(generateJobs(gen, 7));
    expect(generateJobs(gen, 8)).not.toEqual(generateJobs(gen, 7));
  });

  it('respect the configured ranges', () => {
    const jobs = generateJobs(gen, 1);
    expect(jobs).toHaveLength(300);
    for (const j of jobs) {
      expect(Math.log2(j.cores) % 1).toBe(0);
      expect(j.runtime).toBeLessThanOrEqual(1000);
      expect(j.walltime % 60).toBe(0);
      expect(j.walltime).toBeGreaterThanOrEqual(j.runtime * 1.5);
    }
    expect(jobs.some((j) => j.gpus > 0) && jobs.some((j) => j.gpus === 0)).toBe(true);
  });

  it('are clamped to the topology, visibly', () => {
    const r = loadWorkload(gen, { root: '/', seed: 1, topology });
    expect(r.clamped).toBeGreaterThan(0);
    expect(Math.max(...r.jobs.map((j) => j.cores))).toBe(32);
    expect(r.diagnostics.some((d) => d.severity === 'warning' && /clamped/.test(d.message))).toBe(true);
  });
});

describe('SWF import', () => {
  it('reads the HPC2N excerpt: drops runtime -1 records, counts overruns', () => {
    const r = parseSwf(readFileSync(`${traces}alea-hpc2n-prefix/hpc2n.swf`, 'utf8'), { file: 'hpc2n.swf' });
    expect(r.diagnostics).toEqual([]);
    // Counted independently with awk: 3170 records, 25 with runtime <= 0, 320 with runtime > requested.
    expect(r.jobs.length).toBe(3170 - 25);
    expect(r.dropped).toBe(25);
    expect(r.overruns).toBe(320);
    expect(r.header['MaxProcs']).toBe('240');
    expect(r.jobs[0]?.submit).toBe(0);
  });

  it('reads a Lublin trace, which has no estimates: walltime becomes the runtime', () => {
    const r = parseSwf(readFileSync(`${traces}rlscheduler-lublin256/lublin_256.swf`, 'utf8'), { file: 'l.swf', skip: 10, limit: 100, timeScale: 0.5 });
    expect(r.jobs).toHaveLength(100);
    for (const j of r.jobs) expect(j.walltime).toBe(j.runtime);
    expect(Math.max(...r.jobs.map((j) => j.cores))).toBeLessThanOrEqual(256);
  });

  it('reports every malformed line with its number', () => {
    const text = ['; Version: 2.2', '1 0 0 10 4 -1 -1 4 20 -1 1 3 1 -1 1 -1 -1 -1', '2 5 0 10 4', '3 x 0 10 4 -1 -1 4 20 -1 1 3 1 -1 1 -1 -1 -1', '4 6 0 0 4 -1 -1 4 20 -1 1 3 1 -1 1 -1 -1 -1'].join('\n');
    const r = parseSwf(text, { file: 'bad.swf' });
    expect(r.diagnostics.map((d) => [d.line, d.found])).toEqual([[3, '5 fields'], [4, '"x" in field 2']]);
    expect(r.jobs.map((j) => j.id)).toEqual([1]);
    expect(r.dropped).toBe(1);
  });
});
