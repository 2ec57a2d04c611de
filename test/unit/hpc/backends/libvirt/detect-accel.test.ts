import { describe, expect, it } from 'vitest';
import { decideAccel } from '../../../../../src/hpc/backends/libvirt/detect-accel.js';

const withVmx = 'processor\t: 0\nflags\t\t: fpu vme de pse vmx sse2\n';
const noFlag = 'processor\t: 0\nflags\t\t: fpu vme de pse sse2 hypervisor\n';

describe('decideAccel', () => {
  it('falls back to TCG on a paravirtual /dev/kvm without vmx/svm, and says why', () => {
    const c = decideAccel('auto', true, noFlag);
    expect(c.accel).toBe('tcg');
    expect(c.reason).toMatch(/no vmx\/svm/);
  });
  it('uses KVM when /dev/kvm and the flag are both there', () => {
    expect(decideAccel('auto', true, withVmx).accel).toBe('kvm');
    expect(decideAccel('auto', true, 'flags : svm').accel).toBe('kvm');
  });
  it('uses TCG without /dev/kvm, and honours an explicit choice', () => {
    expect(decideAccel('auto', false, withVmx).accel).toBe('tcg');
    expect(decideAccel('tcg', true, withVmx).accel).toBe('tcg');
    expect(decideAccel('kvm', true, noFlag).accel).toBe('kvm');
  });
});
