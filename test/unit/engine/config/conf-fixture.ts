import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getPath } from '../../../../src/engine/config/tree.js';

/** Writes `files` (path relative to the root → text) into a fresh temp project root. */
export function makeRoot(files: Record<string, string>): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'bench-conf-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A small valid conf/ tree shaped like the project's own. */
export const BASE_FILES: Record<string, string> = {
  'conf/config.yaml': [
    'defaults:',
    '  - topology: small',
    '  - scheduler: slurm',
    '  - workload: mixed',
    '  - provider: sim',
    '  - _self_',
    '  - experiment: none',
    'seed: 42',
    'repetitions: 1',
    'scheduler_resource_mapping:',
    '  slurm: { mixed: medium, trace: small }',
    '  flux: { mixed: small, trace: medium }',
    '',
  ].join('\n'),
  'conf/topology/small.yaml': 'name: small\nhead_nodes: { count: 1, vcpus: 4, memory_gib: 8 }\ncompute_nodes: { count: 4, vcpus: 8, memory_gib: 32, gpus: 1 }\n',
  'conf/topology/medium.yaml': 'name: medium\nhead_nodes: { count: 1, vcpus: 4, memory_gib: 8 }\ncompute_nodes: { count: 8, vcpus: 8, memory_gib: 32, gpus: 1 }\n',
  'conf/scheduler/slurm.yaml': 'kind: slurm\nSchedulerType: sched/backfill\nSchedulerParameters:\n  bf_window: 1440\n  bf_max_job_test: 500\n',
  'conf/scheduler/flux.yaml': 'kind: flux\nqueue-policy: easy\nmatch-policy: first\n',
  'conf/workload/mixed.yaml': [
    'kind: generated',
    'jobs: 20',
    'users: 2',
    'arrival: { process: poisson, mean_interarrival_s: 20 }',
    'cores: { dist: log2_uniform, min: 1, max: 8 }',
    'gpus_per_job: { probability: 0.1, max: 1 }',
    'runtime_s: { dist: lognormal, median: 60, sigma: 1.0, max: 600 }',
    'walltime: { overestimate_factor: { min: 1.2, max: 2.0 } }',
    'memory_mib_per_core: 512',
    '',
  ].join('\n'),
  'conf/workload/trace.yaml': 'kind: trace\npath: traces/x.swf\nlimit: 10\n',
  // The trace option's file: the domain checks that a trace exists when it composes a point.
  'traces/x.swf': '; MaxProcs: 64\n1 0 5 100 8 -1 -1 8 200 -1 1 1 1 -1 1 -1 -1 -1\n2 10 0 50 4 -1 -1 4 100 -1 1 2 1 -1 1 -1 -1 -1\n',
  'conf/provider/sim.yaml': 'kind: sim\n',
  'conf/experiment/none.yaml': '# @package _global_\nsweep: { mode: product, params: {} }\n',
  'conf/experiment/matrix.yaml': '# @package _global_\nsweep:\n  mode: product\n  params:\n    topology: [small, medium]\n    scheduler: [slurm, flux]\n',
  'conf/experiment/mapped.yaml': '# @package _global_\nsweep:\n  mode: mapped\n  params:\n    scheduler: [slurm, flux]\n    workload: [mixed, trace]\n',
  'conf/experiment/paired.yaml': '# @package _global_\nsweep:\n  mode: zip\n  params:\n    scheduler: [slurm, flux]\n    seed: [1, 2]\n',
};

/** The value at a dotted key path of a composed config (undefined when absent). */
export function at(value: unknown, path: string): unknown {
  return getPath(value, path).value;
}
