import { describe, expect, it } from 'vitest';
import { fitsBudget, vmBudget } from '../../../../../src/hpc/backends/libvirt/fits-budget.js';
import type { Topology } from '../../../../../src/hpc/backends/types.js';

const topo = (name: string, n: number, vcpus: number, gib: number): Topology => ({
  name, head_nodes: { count: 1, vcpus, memory_gib: gib }, compute_nodes: { count: n, vcpus, memory_gib: gib, gpus: 0 },
});

describe('fitsBudget', () => {
  it('runs clusters together when they fit', () => {
    const p = fitsBudget([topo('a', 1, 2, 2), topo('b', 1, 2, 2)], { cpus: 8, memoryMiB: 16384 });
    expect(p.together).toBe(true);
    expect(p.batches.map((b) => b.map((t) => t.name))).toEqual([['a', 'b']]);
  });
  it('runs clusters one after the other when cores or memory do not suffice', () => {
    // Each cluster is 2 VMs x 4 vcpus = 8 cores: exactly one fits in 8, the small one joins the second.
    expect(fitsBudget([topo('a', 1, 4, 2), topo('b', 1, 4, 2)], { cpus: 8, memoryMiB: 1 << 20 }).batches).toHaveLength(2);
    expect(fitsBudget([topo('a', 1, 4, 2), topo('b', 1, 4, 2), topo('c', 0, 1, 1)], { cpus: 9, memoryMiB: 1 << 20 }).batches.map((b) => b.map((t) => t.name))).toEqual([['a'], ['b', 'c']]);
    const mem = fitsBudget([topo('a', 1, 1, 8), topo('b', 1, 1, 8)], { cpus: 64, memoryMiB: 20000 });
    expect(mem.together).toBe(false);
    expect(mem.batches.map((b) => b.map((t) => t.name))).toEqual([['a'], ['b']]);
  });
  it('names clusters larger than the whole host, which need scaling', () => {
    const p = fitsBudget([topo('small', 1, 1, 1), topo('huge', 4, 8, 32)], { cpus: 2, memoryMiB: 8192 });
    expect(p.needScaling).toEqual(['huge']);
    expect(p.batches.map((b) => b.map((t) => t.name))).toEqual([['small'], ['huge']]);
  });
});

describe('vmBudget', () => {
  const host = { cpus: 16, memoryMiB: 65536 };
  it('reads the config budget: cores and memory in GiB', () => {
    expect(vmBudget({ cpus: 8, memory_gib: 16, pools: { vm: 8 } }, host)).toEqual({ cpus: 8, memoryMiB: 16384 });
  });
  it('takes auto (and a missing budget) as the machine\'s cores and half its memory', () => {
    expect(vmBudget({ cpus: 'auto', memory_gib: 'auto' }, host)).toEqual({ cpus: 16, memoryMiB: 32768 });
    expect(vmBudget(undefined, host)).toEqual({ cpus: 16, memoryMiB: 32768 });
  });
});
