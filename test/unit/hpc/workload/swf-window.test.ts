/** Trace windows count usable jobs; too-wide jobs are dropped or clamped, never silently; the machine comes from the header. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../../src/hpc/backends/types.js';
import { loadWorkload } from '../../../../src/hpc/workload/index.js';
import { parseSwf } from '../../../../src/hpc/workload/swf.js';
import { traceMachine } from '../../../../src/hpc/workload/trace-topology.js';

const rec = (id: number, submit: number, run: number, procs: number) => `${id} ${submit} -1 ${run} ${procs} -1 -1 -1 -1 -1 1 1 -1 -1 0 -1 -1 -1`;
const text = ['; MaxNodes: 4', rec(1, 0, 10, 1), rec(2, 5, 0, 1), rec(3, 7, 10, 8), rec(4, 9, 10, 2), rec(5, 20, 10, 1)].join('\n');

describe('SWF windows', () => {
  it('skips and limits usable jobs, after dropping runtime ≤ 0 and too-wide jobs', () => {
    const r = parseSwf(text, { file: 't.swf', skip: 1, limit: 2, maxCores: 4 });
    expect(r.jobs.map((j) => j.id)).toEqual([4, 5]);
    expect(r.jobs.map((j) => j.submit)).toEqual([0, 11]);
    expect(r.dropped).toBe(1);
    expect(r.tooWide).toBe(1);
  });

  it('drops too-wide trace jobs by default and clamps them when asked, with a warning either way', () => {
    const topology = { name: 't', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 4, vcpus: 1, memory_gib: 1, gpus: 0 } } as Topology;
    const dir = mkdtempSync(`${tmpdir()}/swf-`);
    try {
      writeFileSync(`${dir}/t.swf`, text);
      const dropped = loadWorkload({ kind: 'trace', path: `${dir}/t.swf` }, { root: dir, seed: 1, topology });
      expect(dropped.jobs.map((j) => j.id)).toEqual([1, 4, 5]);
      expect(dropped.tooWide).toBe(1);
      expect(dropped.diagnostics.map((d) => d.message).join('\n')).toMatch(/1 trace jobs asked for more .* 4 cores and were dropped/);
      const clamped = loadWorkload({ kind: 'trace', path: `${dir}/t.swf`, too_wide: 'clamp' }, { root: dir, seed: 1, topology });
      expect(clamped.jobs.map((j) => [j.id, j.cores])).toEqual([[1, 1], [3, 4], [4, 2], [5, 1]]);
      expect(clamped.clamped).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the machine from the header', () => {
    expect(traceMachine('; MaxNodes: 256\n')).toEqual({ count: 256, vcpus: 1 });
    expect(traceMachine('; MaxNodes: 120\n; MaxProcs: 240\n')).toEqual({ count: 120, vcpus: 2 });
    expect(traceMachine('; MaxProcs: 128\n')).toEqual({ count: 1, vcpus: 128 });
    expect(traceMachine('; Version: 2\n')).toMatch(/neither MaxNodes nor MaxProcs/);
  });
});
