/**
 * A host setup that makes every libvirt call slow: libvirtd probes QEMU as root, so its cached
 * capabilities say KVM works wherever `/dev/kvm` exists, but it then checks `/dev/kvm` as the user
 * QEMU runs as (libvirt-qemu by default), and when that user cannot open it the cache counts as
 * stale and QEMU is probed again — several seconds per lookup, several lookups per `virsh create`,
 * so a domain start takes minutes. udev normally gives `/dev/kvm` mode 0660 and group kvm, which
 * libvirt-qemu is in; machines without udev may leave it root-only. bench says so rather than
 * changing device permissions itself.
 */
import { execa } from 'execa';
import { existsSync, readFileSync, statSync } from 'node:fs';

/** Who QEMU runs as under libvirtd, as `id` reports it. */
export interface QemuUser { name: string; uid: number; gids: number[] }

/** Whether `user` can read and write a device with this mode and owner. */
export function deviceAccessible(dev: { mode: number; uid: number; gid: number }, user: QemuUser): boolean {
  if (user.uid === 0) return true;
  if (dev.uid === user.uid) return (dev.mode & 0o600) === 0o600;
  if (user.gids.includes(dev.gid)) return (dev.mode & 0o060) === 0o060;
  return (dev.mode & 0o006) === 0o006;
}

/** The `user` setting of a qemu.conf, or libvirt's built-in default. */
export function qemuConfUser(conf: string): string {
  const m = /^\s*user\s*=\s*"([^"]+)"/m.exec(conf);
  return m?.[1] ?? 'libvirt-qemu';
}

async function lookupUser(name: string): Promise<QemuUser | undefined> {
  // qemu.conf also accepts `+<uid>`.
  const arg = name.startsWith('+') ? name.slice(1) : name;
  const [uid, gids] = await Promise.all([execa('id', ['-u', arg], { reject: false }), execa('id', ['-G', arg], { reject: false })]);
  if (uid.exitCode !== 0 || gids.exitCode !== 0) return undefined;
  return { name, uid: Number(uid.stdout.trim()), gids: gids.stdout.trim().split(/\s+/).map(Number) };
}

/** A warning for the run log when this host has the slow setup above; empty otherwise. */
export async function kvmAccessWarning(): Promise<string> {
  if (!existsSync('/dev/kvm')) return '';
  const confFile = '/etc/libvirt/qemu.conf';
  const user = await lookupUser(qemuConfUser(existsSync(confFile) ? readFileSync(confFile, 'utf8') : ''));
  if (!user) return '';
  const st = statSync('/dev/kvm');
  if (deviceAccessible({ mode: st.mode, uid: st.uid, gid: st.gid }, user)) return '';
  return `/dev/kvm is not usable by ${user.name}, the user libvirt runs QEMU as, so libvirtd re-probes QEMU on every call and each VM takes minutes to start; ` +
    'give /dev/kvm the group kvm and mode 0660 as udev does (chgrp kvm /dev/kvm && chmod 0660 /dev/kvm), or use runtime: qemu';
}
