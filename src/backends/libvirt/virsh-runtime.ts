/**
 * The libvirt path: domains defined from `renderDomainXml` and driven with `virsh`. libvirtd
 * (and virtlogd) are started by hand when not running, since these machines have no systemd.
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';

const URI = 'qemu:///system';

async function virsh(args: string[]): Promise<{ ok: boolean; out: string }> {
  const r = await execa('virsh', ['-c', URI, ...args], { reject: false, all: true });
  return { ok: r.exitCode === 0, out: String(r.all ?? '') };
}

/** True when libvirtd answers, starting it (and virtlogd) if needed; false where it cannot run. */
export async function ensureLibvirtd(): Promise<{ ok: boolean; reason: string }> {
  if ((await execa('sh', ['-c', 'command -v virsh && command -v libvirtd'], { reject: false })).exitCode !== 0) {
    return { ok: false, reason: 'virsh/libvirtd not installed' };
  }
  if ((await virsh(['version'])).ok) return { ok: true, reason: 'libvirtd running' };
  await execa('virtlogd', ['-d'], { reject: false });
  const d = await execa('libvirtd', ['-d'], { reject: false, all: true });
  if (d.exitCode !== 0) return { ok: false, reason: `libvirtd cannot start: ${String(d.all ?? '').slice(0, 300)}` };
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    if ((await virsh(['version'])).ok) return { ok: true, reason: 'libvirtd started by hand' };
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ok: false, reason: 'libvirtd started but does not answer' };
}

/** Defines and starts a transient domain; returns its QEMU PID. */
export async function startDomain(name: string, xmlPath: string): Promise<number | undefined> {
  const r = await virsh(['create', xmlPath]);
  if (!r.ok) throw new Error(`virsh create ${name}: ${r.out}`);
  const pidFile = `/run/libvirt/qemu/${name}.pid`;
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
}

/** Destroys a domain if it exists; absent is fine. */
export async function destroyDomain(name: string): Promise<void> {
  await virsh(['destroy', name]);
  await virsh(['undefine', name]);
}
