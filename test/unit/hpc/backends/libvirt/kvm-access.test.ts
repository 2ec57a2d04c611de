import { describe, expect, it } from 'vitest';
import { deviceAccessible, qemuConfUser } from '../../../../../src/hpc/backends/libvirt/kvm-access.js';

const libvirtQemu = { name: 'libvirt-qemu', uid: 64055, gids: [108, 64055] };

describe('deviceAccessible', () => {
  it('sees the root-only /dev/kvm of a machine without udev as unusable by libvirt-qemu', () => {
    expect(deviceAccessible({ mode: 0o20600, uid: 0, gid: 0 }, libvirtQemu)).toBe(false);
  });
  it('sees the udev default (group kvm, 0660) as usable by a member of kvm', () => {
    expect(deviceAccessible({ mode: 0o20660, uid: 0, gid: 108 }, libvirtQemu)).toBe(true);
    expect(deviceAccessible({ mode: 0o20660, uid: 0, gid: 999 }, libvirtQemu)).toBe(false);
  });
  it('uses the owner bits for the owner and the other bits for everyone else', () => {
    expect(deviceAccessible({ mode: 0o20600, uid: 64055, gid: 0 }, libvirtQemu)).toBe(true);
    expect(deviceAccessible({ mode: 0o20066, uid: 64055, gid: 108 }, libvirtQemu)).toBe(false);
    expect(deviceAccessible({ mode: 0o20666, uid: 0, gid: 0 }, libvirtQemu)).toBe(true);
  });
  it('lets root through whatever the mode', () => {
    expect(deviceAccessible({ mode: 0o20600, uid: 5, gid: 5 }, { name: 'root', uid: 0, gids: [0] })).toBe(true);
  });
});

describe('qemuConfUser', () => {
  it("reads qemu.conf's user and falls back to libvirt's default when it is commented out", () => {
    expect(qemuConfUser('#user = "root"\n')).toBe('libvirt-qemu');
    expect(qemuConfUser('user = "root"\ngroup = "root"\n')).toBe('root');
    expect(qemuConfUser('')).toBe('libvirt-qemu');
  });
});
