/**
 * What the Kubernetes tests need from the machine: the control plane built by
 * tools/kubernetes/build.sh (CI builds it before the tests; a test never builds), openssl for the
 * PKI, and netns hosts.
 */
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { commands, NETNS, type Requirement } from './requirements.js';

const root = resolve(import.meta.dirname, '../..');

/** Where build.sh puts the binaries of the pinned versions (whether or not they are there yet). */
export function kubernetesBinDir(): string {
  const key = spawnSync('bash', [join(root, 'tools/kubernetes/build.sh'), '--key'], { encoding: 'utf8' }).stdout.trim();
  const cache = process.env['BENCH_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'bench');
  return join(cache, 'k8s', key, 'bin');
}

/** Requirements of a real Kubernetes run on netns hosts. */
export const KUBERNETES: Requirement[] = [
  ...NETNS, ...commands('openssl'),
  ...['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'vc-scheduler', 'vc-controller-manager', 'kwok']
    .map((b): Requirement => ({ kind: 'file', path: join(kubernetesBinDir(), b), hint: 'run tools/kubernetes/build.sh' })),
];
