/**
 * Container images of the service and client kinds, built here because no registry can be
 * reached: mmdebstrap makes a Debian root filesystem with the kinds' apt packages (and pip
 * packages, installed in it afterwards), writes it as a tar, and `podman import` turns that into
 * an image of bench's own store named `localhost/bench-services:<digest>`. The digest is of the
 * spec as plain data (packages sorted, suite, mirror, builder version), so equal specs share one
 * image and a built image is never rebuilt; one builder per digest at a time (build lock).
 */
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { withBuildLock } from '../image/build-lock.js';
import { runTool } from '../image/run-tool.js';
import { prepareStore, storeEnv, type ContainerStore } from './container-store.js';

/** What a kind needs inside its container, declared by the kind module. */
export interface ContainerImageSpec {
  /** Debian packages. */
  apt: readonly string[];
  /** PyPI requirements installed with their dependencies (`numpy`, `safetensors==0.4.3`). */
  pip?: readonly string[];
  /** PyPI requirements installed without their dependencies (`pip install --no-deps`). */
  pipNoDeps?: readonly string[];
}

/** Bumped whenever the build steps below change the image without any spec change. */
export const CONTAINER_BUILDER_VERSION = 1;
export const CONTAINER_SUITE = 'bookworm';
export const CONTAINER_MIRROR = 'http://deb.debian.org/debian';
/** Image name in bench's store; the tag is the digest. */
export const IMAGE_REPOSITORY = 'localhost/bench-services';

const aptName = /^[a-z0-9][a-z0-9+.-]*$/;
const pipRequirement = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?([=<>!~]=?[A-Za-z0-9.*+!_-]+)?$/;

/** Several kinds' specs as one (a service's and its client's share an image). */
export function mergeSpecs(specs: readonly ContainerImageSpec[]): ContainerImageSpec {
  const all = (k: 'apt' | 'pip' | 'pipNoDeps') => [...new Set(specs.flatMap((s) => s[k] ?? []))].sort();
  return { apt: all('apt'), pip: all('pip'), pipNoDeps: all('pipNoDeps') };
}

/** The spec as canonical plain data; equal objects mean an identical image. */
export function imageFingerprint(spec: ContainerImageSpec): Record<string, unknown> {
  const m = mergeSpecs([spec]);
  for (const p of m.apt) if (!aptName.test(p)) throw new Error(`not a Debian package name: ${p}`);
  for (const p of [...(m.pip ?? []), ...(m.pipNoDeps ?? [])]) if (!pipRequirement.test(p)) throw new Error(`not a pip requirement bench accepts: ${p}`);
  return { builder: CONTAINER_BUILDER_VERSION, suite: CONTAINER_SUITE, mirror: CONTAINER_MIRROR, variant: 'minbase', ...m };
}

export function imageDigest(spec: ContainerImageSpec): string {
  return createHash('sha256').update(JSON.stringify(imageFingerprint(spec))).digest('hex').slice(0, 16);
}

export function imageRef(spec: ContainerImageSpec): string {
  return `${IMAGE_REPOSITORY}:${imageDigest(spec)}`;
}

export interface BuiltContainerImage {
  ref: string;
  digest: string;
  store: string;
  /** True when the image was already in the store (nothing built). */
  cached: boolean;
  buildSeconds: number;
  fingerprint: Record<string, unknown>;
}

export interface ImageBuildOptions {
  signal?: AbortSignal;
  log: { info(m: string): void };
}

export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

async function podman(store: ContainerStore, args: string[], signal?: AbortSignal): Promise<{ ok: boolean; out: string }> {
  const r = await execa('podman', args, { reject: false, all: true, env: storeEnv(store), ...(signal ? { cancelSignal: signal } : {}) });
  return { ok: r.exitCode === 0, out: String(r.all ?? '').slice(-4000) };
}

export async function imageExists(store: ContainerStore, ref: string): Promise<boolean> {
  return (await podman(store, ['image', 'exists', ref])).ok;
}

/** mmdebstrap's argv writing the root filesystem of `spec` as the tar `out`. */
export function mmdebstrapArgv(spec: ContainerImageSpec, out: string): string[] {
  const m = mergeSpecs([spec]);
  const pip = [...(m.pip ?? []), ...(m.pipNoDeps ?? [])].length > 0;
  // pip needs itself, and the CA bundle PIP_CERT may point at.
  const apt = [...new Set([...m.apt, ...(pip ? ['python3', 'python3-pip', 'ca-certificates'] : [])])].sort();
  const excludes = ['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/info/*', '/usr/share/locale/*', '/usr/share/lintian/*'];
  const pipCmd = (reqs: readonly string[], extra: string[]) =>
    // Requirement strings are validated to bare words (imageFingerprint), so the hook is safe to build as text.
    `chroot "$1" env PIP_CERT=/tmp/bench-ca.crt REQUESTS_CA_BUNDLE=/tmp/bench-ca.crt SSL_CERT_FILE=/tmp/bench-ca.crt PIP_FIND_LINKS= python3 -m pip install --no-cache-dir --break-system-packages --root-user-action=ignore ${[...extra, ...reqs].join(' ')}`;
  // pip in the chroot trusts what this machine's pip trusts (an HTTPS proxy's CA is often only in
  // the host's bundle, named by PIP_CERT); Debian's pip goes by REQUESTS_CA_BUNDLE, which this
  // machine may set to its own path. The bundle is removed again, so the image is the same.
  const hooks = pip ? [
    'cp "${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}" "$1/tmp/bench-ca.crt"',
    ...(m.pip?.length ? [pipCmd(m.pip, [])] : []),
    ...(m.pipNoDeps?.length ? [pipCmd(m.pipNoDeps, ['--no-deps'])] : []),
    'rm -f "$1/tmp/bench-ca.crt"',
  ] : [];
  return [
    '--variant=minbase', ...(apt.length ? [`--include=${apt.join(',')}`] : []),
    ...excludes.map((p) => `--dpkgopt=path-exclude=${p}`), '--aptopt=Acquire::Retries "3"',
    ...hooks.map((h) => `--customize-hook=${h}`),
    CONTAINER_SUITE, out, CONTAINER_MIRROR,
  ];
}

/** The image of `spec` in `store`: built (mmdebstrap, podman import) unless it is there already. */
export async function ensureContainerImage(spec: ContainerImageSpec, store: ContainerStore, o: ImageBuildOptions): Promise<BuiltContainerImage> {
  const fingerprint = imageFingerprint(spec);
  const digest = imageDigest(spec);
  const ref = `${IMAGE_REPOSITORY}:${digest}`;
  await prepareStore(store);
  const done = (cached: boolean, buildSeconds: number): BuiltContainerImage => ({ ref, digest, store: store.root, cached, buildSeconds, fingerprint });
  if (await imageExists(store, ref)) return done(true, 0);
  const lockDir = join(store.root, 'builds', digest);
  return withBuildLock(lockDir, { ...(o.signal ? { signal: o.signal } : {}), onWait: (pid) => o.log.info(`image ${ref}: another build (PID ${pid ?? '?'}) is running; waiting`) }, async () => {
    if (await imageExists(store, ref)) return done(true, 0);
    const started = Date.now();
    // mmdebstrap picks its output format from the name: keep .tar last.
    const tar = join(store.root, 'builds', `${digest}-${process.pid}.tar`);
    await mkdir(join(store.root, 'builds'), { recursive: true });
    try {
      o.log.info(`image ${ref}: mmdebstrap ${CONTAINER_SUITE} with ${[...(fingerprint['apt'] as string[])].join(' ') || 'no extra packages'}`);
      const deb = await runTool('mmdebstrap', mmdebstrapArgv(spec, tar), o.signal);
      if (!deb.ok) throw new ImageBuildError(`building container image ${ref}: mmdebstrap ${deb.cancelled ? 'cancelled' : `failed (exit ${deb.exitCode ?? '?'})`}:\n${deb.out.slice(-4000)}`);
      const imp = await podman(store, ['import', '--change', 'CMD ["/bin/sh"]', '--message', `bench ${digest}`, tar, ref], o.signal);
      if (!imp.ok) throw new ImageBuildError(`building container image ${ref}: podman import failed:\n${imp.out}`);
    } finally {
      await rm(tar, { recursive: true, force: true });
    }
    const seconds = (Date.now() - started) / 1000;
    o.log.info(`image ${ref}: built and imported in ${seconds.toFixed(1)} s`);
    return done(false, seconds);
  });
}
