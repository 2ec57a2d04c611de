/**
 * What determines a VM image, as plain data. The image cache is keyed by the digest of this
 * object, so every field here is something that changes the bytes of the built image; runtime
 * values (addresses, keys, hostnames) are deliberately absent because they are applied per VM.
 */
import { createHash } from 'node:crypto';
import { INITRAMFS_INIT, MINIMAL_INIT, SEED_SCRIPT, SEED_UNIT } from './guest-files.js';

/** The `image` config group (conf/image/*.yaml). */
export interface ImageConfig {
  builder: 'debian' | 'nix' | 'none';
  suite?: string;
  variant?: string;
  mirror?: string;
  packages?: string[];
  size_gib?: number;
  /** `path#attr` of a flake output, for builder `nix`. */
  flake?: string;
  /** Init used for direct kernel boot: `minimal` starts only sshd, `systemd` boots fully. */
  init?: 'minimal' | 'systemd';
  [key: string]: unknown;
}

/**
 * Bumped whenever the build recipe in build-image.ts changes (dpkg excludes, layout), because
 * that changes the image without any config change. The guest files are digested on their own.
 */
export const IMAGE_BUILDER_VERSION = 4;

/** The files bench writes into the root filesystem (guest-files.ts), by name. */
export const GUEST_FILES: Readonly<Record<string, string>> = { 'bench-init': MINIMAL_INIT, 'bench-seed': SEED_SCRIPT, 'bench-seed.service': SEED_UNIT, 'initramfs-init': INITRAMFS_INIT };

/** Packages every Debian image needs whatever the config says: the VM must boot and serve SSH. */
export const BASE_PACKAGES = ['linux-image-amd64', 'openssh-server', 'iproute2', 'kmod', 'e2fsprogs', 'busybox-static'];

/** The canonical description of an image; equal objects mean an identical image. */
export function imageFingerprintInput(image: ImageConfig, guestFiles: Readonly<Record<string, string>> = GUEST_FILES): Record<string, unknown> {
  const packages = [...new Set([...(image.packages ?? []), ...(image.builder === 'debian' ? BASE_PACKAGES : [])])].sort();
  const known = new Set(['builder', 'suite', 'variant', 'mirror', 'packages', 'size_gib', 'flake', 'init']);
  // Unknown keys are customisations: they may change the image, so they count, sorted for stability.
  const customisations = Object.fromEntries(
    Object.keys(image).filter((k) => !known.has(k)).sort().map((k) => [k, image[k]]),
  );
  return {
    // Which recipe produced the bytes.
    builder: image.builder,
    builderVersion: IMAGE_BUILDER_VERSION,
    // Which Debian release and flavour the packages come from.
    suite: image.suite ?? 'bookworm',
    variant: image.variant ?? 'minbase',
    mirror: image.mirror ?? 'http://deb.debian.org/debian',
    // What is installed; order and duplicates in the config do not matter.
    packages,
    // Filesystem size is baked into the ext4 image.
    sizeGib: image.size_gib ?? 4,
    // The flake output is the whole description of a Nix image.
    flake: image.flake ?? null,
    // The init script is part of the root filesystem.
    init: image.init ?? 'minimal',
    // The init and seed scripts are in the root filesystem too: editing one must rebuild the image.
    guestFiles: createHash('sha256').update(canonicalJson(guestFiles)).digest('hex').slice(0, 16),
    customisations,
  };
}

/** Canonical JSON (sorted keys) so that key order never changes the digest. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Short hex digest naming the image in the cache. */
export function imageDigest(image: ImageConfig): string {
  return createHash('sha256').update(canonicalJson(imageFingerprintInput(image))).digest('hex').slice(0, 20);
}
