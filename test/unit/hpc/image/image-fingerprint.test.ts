import { describe, expect, it } from 'vitest';
import { canonicalJson, GUEST_FILES, imageDigest, imageFingerprintInput, type ImageConfig } from '../../../../src/hpc/image/image-fingerprint.js';

const base: ImageConfig = {
  builder: 'debian', suite: 'bookworm', variant: 'minbase', mirror: 'http://deb.debian.org/debian',
  packages: ['slurm-wlm', 'munge', 'stress-ng'], size_gib: 4,
};

describe('image fingerprint', () => {
  it('changes when the package list changes', () => {
    expect(imageDigest({ ...base, packages: ['slurm-wlm', 'munge'] })).not.toBe(imageDigest(base));
    expect(imageDigest({ ...base, packages: [...(base.packages ?? []), 'htop'] })).not.toBe(imageDigest(base));
  });
  it('does not change with package order, duplicates or key order', () => {
    const reordered: ImageConfig = { size_gib: 4, packages: ['stress-ng', 'munge', 'slurm-wlm', 'munge'], mirror: 'http://deb.debian.org/debian', variant: 'minbase', suite: 'bookworm', builder: 'debian' };
    expect(imageDigest(reordered)).toBe(imageDigest(base));
  });
  it('changes with suite, builder, size and customisations', () => {
    const d = imageDigest(base);
    expect(imageDigest({ ...base, suite: 'trixie' })).not.toBe(d);
    expect(imageDigest({ ...base, size_gib: 8 })).not.toBe(d);
    expect(imageDigest({ ...base, init: 'systemd' })).not.toBe(d);
    expect(imageDigest({ ...base, extra_files: { '/etc/motd': 'hi' } })).not.toBe(d);
  });
  it('changes when a file bench writes into the root filesystem changes', () => {
    const fp = (files: Record<string, string>) => canonicalJson(imageFingerprintInput(base, files));
    expect(fp({ ...GUEST_FILES, 'bench-init': `${GUEST_FILES['bench-init'] ?? ''}# edited\n` })).not.toBe(fp(GUEST_FILES));
    expect(fp(GUEST_FILES)).toBe(canonicalJson(imageFingerprintInput(base)));
  });
  it('always lists the packages a bootable SSH image needs, sorted', () => {
    const pk = imageFingerprintInput(base)['packages'] as string[];
    expect(pk).toContain('linux-image-amd64');
    expect(pk).toContain('openssh-server');
    expect(pk).toEqual([...pk].sort());
  });
});
