/**
 * Environment gating, written once for every test of a real component: a test file names what it
 * needs (root, commands, files, a usable /dev/kvm...), and gets `describe` back — or, where
 * something is missing, `describe.skip` with the reason printed. Under `CI=true` a missing
 * requirement is an error instead: CI must run the real tests, never skip them silently.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { describe } from 'vitest';

/** One thing a test needs from the machine. */
export type Requirement =
  | { kind: 'root'; why: string }
  | { kind: 'command'; name: string }
  | { kind: 'file'; path: string; hint?: string }
  | { kind: 'device'; path: string };

export const root = (why: string): Requirement => ({ kind: 'root', why });
export const commands = (...names: string[]): Requirement[] => names.map((name) => ({ kind: 'command', name }));
export const files = (...paths: string[]): Requirement[] => paths.map((path) => ({ kind: 'file', path }));

/** Hosts from namespaces, each with its own sshd (iproute2, util-linux, openssh). */
export const NETNS: Requirement[] = [root('namespaces, bridge and mounts'), ...commands('ip', 'nsenter', 'unshare', 'ssh-keygen'), ...files('/usr/sbin/sshd')];
/** Debian's SLURM 22.05 and munge (slurm-wlm, munge). */
export const SLURM: Requirement[] = [...commands('munge', 'sinfo', 'sbatch', 'squeue'), ...files('/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged')];
/** A VM image built here and QEMU to boot it. */
export const VM: Requirement[] = [root('the bridge and taps'), ...commands('qemu-system-x86_64', 'qemu-img', 'mmdebstrap', 'mkfs.ext4', 'ssh-keygen', 'ip')];
/** The system libvirt daemons (libvirt-daemon-system). */
export const LIBVIRT: Requirement[] = commands('virsh', 'libvirtd', 'virtlogd');

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** What is missing, one phrase per requirement, in the order given. */
export function missingRequirements(reqs: readonly Requirement[]): string[] {
  const out: string[] = [];
  const absent: string[] = [];
  for (const r of reqs) {
    if (r.kind === 'root' && process.getuid?.() !== 0) out.push(`needs root for ${r.why}`);
    if (r.kind === 'command' && !hasCommand(r.name)) absent.push(r.name);
    if (r.kind === 'file' && !existsSync(r.path)) absent.push(r.hint ? `${r.path} (${r.hint})` : r.path);
    if (r.kind === 'device') {
      try { accessSync(r.path, constants.R_OK | constants.W_OK); } catch { absent.push(`usable ${r.path}`); }
    }
  }
  if (absent.length) out.push(`missing ${[...new Set(absent)].join(', ')}`);
  return out;
}

/** Why `what` cannot run here ('' when it can). Throws under CI=true, where skipping is not allowed. */
export function skipReason(what: string, reqs: readonly Requirement[], env: NodeJS.ProcessEnv = process.env): string {
  const why = missingRequirements(reqs).join('; ');
  if (why && env['CI'] === 'true') throw new Error(`${what} cannot run under CI: ${why}`);
  return why;
}

/** A gated `describe`: the real one where `reqs` are met, else a skip whose title and log say why. */
export interface Gate {
  why: string;
  describe: (name: string, body: () => void) => void;
}

/** `describe` for a suite of real components, skipped with its reason where the machine lacks them. */
export function gate(what: string, reqs: readonly Requirement[]): Gate {
  const why = skipReason(what, reqs);
  if (!why) return { why, describe: (name, body) => describe(name, body) };
  console.warn(`skipped: ${what}: ${why}`);
  return { why, describe: (name, body) => describe.skip(`${name} (skipped: ${why})`, body) };
}

/** Headless Chromium for the HTML report tests (Debian `chromium`). */
export const BROWSER: Requirement[] = files('/usr/bin/chromium');

/**
 * One line for the start of a test run: which kinds of real-component tests will skip on this
 * machine, and why; '' when everything is there. The gates above still decide per test file.
 */
export function missingSummary(sets: Record<string, readonly Requirement[]>): string {
  const parts = Object.entries(sets).flatMap(([what, reqs]) => {
    const why = missingRequirements(reqs);
    return why.length ? [`${what} (${why.join('; ')})`] : [];
  });
  return parts.length ? `real-component tests that skip here: ${parts.join(', ')} — bash .ci/run as root installs them` : '';
}
