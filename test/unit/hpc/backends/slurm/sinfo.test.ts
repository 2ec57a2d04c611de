import { describe, expect, it } from 'vitest';
import { checkNodes, isStuck, parseSinfo } from '../../../../../src/hpc/backends/slurm/sinfo.js';
import type { Host } from '../../../../../src/hpc/backends/types.js';

const host = (name: string, cpus: number, memoryMiB: number): Host => ({ name, role: 'compute', address: '', port: 22, user: 'root', cpus, memoryMiB, gpus: 0 });
const computes = [host('c1', 4, 4096), host('c2', 4, 4096)];

describe('sinfo readiness', () => {
  it('is ready when every declared node is idle with its declared size (real 22.05 output)', () => {
    const nodes = parseSinfo('c1|idle|4|4096|none\nc2|idle|4|4096|none\n');
    expect(nodes[0]).toEqual({ name: 'c1', state: 'idle', responding: true, cpus: 4, memoryMiB: 4096, reason: 'none' });
    expect(checkNodes(nodes, computes)).toEqual({ ready: true, waiting: [], mismatches: [] });
  });

  it('waits for nodes not yet registered or not responding', () => {
    const check = checkNodes(parseSinfo('c1|unknown*|4|4096|none\nc2|idle|4|4096|none\n'), computes);
    expect(check.ready).toBe(false);
    expect(check.waiting).toEqual(['c1: unknown (not responding)']);
    expect(check.mismatches).toEqual([]);
  });

  it('reports size differences, unknown and extra nodes, and stuck states with SLURM\'s reason', () => {
    const nodes = parseSinfo('c1|inval|2|4096|gres/gpu count reported lower than configured (0 < 2)\nc3|idle|4|4096|none\n');
    const check = checkNodes(nodes, computes);
    expect(check.mismatches).toEqual(['c1: 2 CPUs, declared 4', 'c2: not known to slurmctld', 'c3: a node no compute host declares']);
    expect(check.waiting).toEqual(['c1: inval — gres/gpu count reported lower than configured (0 < 2)']);
    expect(isStuck(nodes[0] as never)).toBe(true);
    expect(isStuck({ name: 'x', state: 'idle', responding: true, cpus: 1, memoryMiB: 1, reason: '' })).toBe(false);
  });
});
