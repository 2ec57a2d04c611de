/**
 * The cluster's certificates, made with openssl: a CA, the API server's serving certificate (for
 * its address on the bridge and its in-cluster names), one client certificate per component, and
 * the service-account signing key pair. Elliptic-curve keys: each takes milliseconds, where RSA
 * would add most of a second to bring-up on a loaded machine.
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Client identities: name → certificate subject. system:masters for bench's own tools. */
export const CLIENTS = {
  admin: '/O=system:masters/CN=bench-admin',
  'kube-controller-manager': '/CN=system:kube-controller-manager',
  'kube-scheduler': '/CN=system:kube-scheduler',
  volcano: '/O=system:masters/CN=bench-volcano',
  kwok: '/O=system:masters/CN=bench-kwok',
} as const;
export type ClientName = keyof typeof CLIENTS;

async function openssl(args: string[], input?: string): Promise<string> {
  const r = await execa('openssl', args, { reject: false, ...(input === undefined ? {} : { input }) });
  if (r.exitCode !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signed(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  const csr = await openssl(['req', '-new', ...EC, '-subj', subject, '-keyout', join(dir, `${name}.key`)]);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, extensions);
  await openssl(['x509', '-req', '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', '30', '-extfile', ext, '-out', join(dir, `${name}.crt`)], csr);
}

/** Writes the PKI under `dir` for an API server reachable at `address`. */
export async function makePki(dir: string, address: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await openssl(['req', '-x509', ...EC, '-days', '30', '-subj', '/CN=bench-k8s-ca', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt')]);
  const names = ['DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'IP:127.0.0.1', 'IP:10.96.0.1', `IP:${address}`];
  await Promise.all([
    signed(dir, 'apiserver', '/CN=kube-apiserver', `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`),
    ...Object.entries(CLIENTS).map(([n, subject]) => signed(dir, n, subject, 'extendedKeyUsage=clientAuth\n')),
    openssl(['genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', join(dir, 'sa.key')])
      .then(() => openssl(['pkey', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')])),
  ]);
}

/** A kubeconfig for one client identity. */
export function kubeconfig(pki: string, server: string, user: ClientName): string {
  return [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: bench', '  cluster:', `    server: ${server}`, `    certificate-authority: ${join(pki, 'ca.crt')}`,
    'users:', `- name: ${user}`, '  user:', `    client-certificate: ${join(pki, `${user}.crt`)}`, `    client-key: ${join(pki, `${user}.key`)}`,
    'contexts:', '- name: bench', `  context: {cluster: bench, user: ${user}}`, 'current-context: bench', '',
  ].join('\n');
}
