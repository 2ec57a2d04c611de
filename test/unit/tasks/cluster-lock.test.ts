import { describe, expect, it } from 'vitest';
import { clusterLock } from '../../../tasks/cluster.js';

describe('cluster lock', () => {
  it('holds no lock on the simulator', () => {
    expect(clusterLock({ kind: 'sim' })).toBeUndefined();
    expect(clusterLock(undefined)).toBeUndefined();
  });
  it('locks namespace clusters by subnet and existing hosts by host list', () => {
    expect(clusterLock({ kind: 'netns', subnet: '10.77.0.0/24' })).toBe('netns:10.77.0.0/24');
    expect(clusterLock({ kind: 'netns', subnet: '10.80.0.0/24' })).not.toBe(clusterLock({ kind: 'netns', subnet: '10.77.0.0/24' }));
    expect(clusterLock({ kind: 'ssh', hosts: ['a', 'b'] })).toBe('ssh:a,b');
  });
  it('gives every VM cluster the one host lock, since each is sized to the whole host budget', () => {
    expect(clusterLock({ kind: 'libvirt', subnet: '10.78.0.0/24' })).toBe('libvirt:host');
    expect(clusterLock({ kind: 'libvirt', subnet: '10.90.0.0/24' })).toBe('libvirt:host');
  });
});
