/**
 * KVM only where hardware virtualization really works. `/dev/kvm` alone is not enough: a
 * paravirtual KVM module (kvm_pvm) accepts KVM_CREATE_VM yet a stock kernel stalls on it, and
 * such hosts show no vmx/svm flag, so the flag decides.
 */
import { existsSync, readFileSync } from 'node:fs';

export type Accel = 'kvm' | 'tcg';

export interface AccelChoice {
  accel: Accel;
  /** Said in the run log, so results record why they were slow or fast. */
  reason: string;
}

/** Pure decision from what the host shows. */
export function decideAccel(requested: string, devKvm: boolean, cpuinfo: string): AccelChoice {
  const hasFlag = /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo);
  if (requested === 'tcg') return { accel: 'tcg', reason: 'TCG: requested by accel=tcg' };
  if (requested === 'kvm') {
    return devKvm ? { accel: 'kvm', reason: 'KVM: requested by accel=kvm' } : { accel: 'tcg', reason: 'TCG: accel=kvm requested but /dev/kvm is missing' };
  }
  if (!devKvm) return { accel: 'tcg', reason: 'TCG: /dev/kvm is missing' };
  if (!hasFlag) return { accel: 'tcg', reason: 'TCG: /dev/kvm exists but the CPU shows no vmx/svm flag (paravirtual KVM, on which a stock kernel stalls)' };
  return { accel: 'kvm', reason: 'KVM: /dev/kvm and vmx/svm present' };
}

/** Reads the host and decides. */
export function detectAccel(requested = 'auto'): AccelChoice {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  return decideAccel(requested, existsSync('/dev/kvm'), cpuinfo);
}
