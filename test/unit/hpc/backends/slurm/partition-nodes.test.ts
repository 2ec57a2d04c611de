import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choosePartition, gpuCount, parsePartitionNodes } from '../../../../../src/hpc/backends/slurm/partition-nodes.js';

/** `sinfo -N -h -o '%N|%P|%T|%c|%m|%G'` of a real 22.05.8 cluster: c1 in `batch` (default) and `debug`. */
const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, 'fixtures', name), 'utf8');

describe('partition nodes', () => {
  const nodes = parsePartitionNodes(fixture('sinfo-nodes.txt'));

  it('lists a node once per partition and marks the default', () => {
    expect(nodes).toEqual([
      { name: 'c1', partition: 'batch', isDefault: true, state: 'idle', cpus: 4, memoryMiB: 4096, gpus: 1 },
      { name: 'c1', partition: 'debug', isDefault: false, state: 'idle', cpus: 4, memoryMiB: 4096, gpus: 1 },
      { name: 'c2', partition: 'batch', isDefault: true, state: 'idle', cpus: 4, memoryMiB: 4096, gpus: 1 },
    ]);
  });

  it('takes the default partition unless one is named, and sums what is in it', () => {
    expect(choosePartition(nodes, undefined)).toEqual({ partition: { name: 'batch', nodes: 2, cpus: 8, memoryMiB: 8192, gpus: 2, states: { idle: 2 } } });
    expect(choosePartition(nodes, 'debug')).toEqual({ partition: { name: 'debug', nodes: 1, cpus: 4, memoryMiB: 4096, gpus: 1, states: { idle: 1 } } });
  });

  it('says which partitions exist when the named one does not, or there is no default', () => {
    expect(choosePartition(nodes, 'gpu')).toEqual({ error: 'partition gpu (scheduler.partition) does not exist or has no nodes; partitions: batch (default), debug' });
    expect(choosePartition(nodes.filter((n) => n.partition === 'debug'), undefined)).toEqual({ error: 'the cluster has no default partition; set scheduler.partition to one of: debug' });
  });

  it('refuses a partition whose every node is out of service, and accepts one with some left', () => {
    const drained = parsePartitionNodes(fixture('sinfo-nodes-drained.txt'));
    expect(choosePartition(drained, undefined)).toMatchObject({ partition: { name: 'batch', states: { idle: 1, drained: 1 } } });
    const down = parsePartitionNodes('c1|batch*|down*|4|4096|(null)\nc2|batch*|drained|4|4096|(null)\nc3|batch*|idle*|4|4096|(null)\n');
    expect(choosePartition(down, undefined)).toEqual({ error: 'partition batch: no node can run jobs (1 down*, 1 drained, 1 idle*)' });
  });

  it('counts GPUs in the GRES forms sinfo prints', () => {
    expect(gpuCount('gpu:1')).toBe(1);
    expect(gpuCount('gpu:a100:4(S:0-1)')).toBe(4);
    expect(gpuCount('gpu:2,mps:100')).toBe(2);
    expect(gpuCount('gpu:tesla:2(S:0),gpu:k80:1(S:1)')).toBe(3);
    expect(gpuCount('(null)')).toBe(0);
  });
});
