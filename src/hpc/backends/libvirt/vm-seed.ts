/**
 * Per-VM seed disks and keys. Host keys are generated here, before boot, so readiness can check
 * the exact key and the scheduler's transport can pin it.
 */
import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterPlan, VmPlan } from './plan-vms.js';

async function keygen(path: string, comment: string): Promise<string> {
  const r = await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { reject: false });
  if (r.exitCode !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return (await readFile(`${path}.pub`, 'utf8')).trim();
}

/** Client key pair for the cluster; returns the private key path and public key line. */
export async function makeClientKey(dir: string): Promise<{ keyPath: string; publicKey: string }> {
  const keyPath = join(dir, 'client_ed25519');
  return { keyPath, publicKey: await keygen(keyPath, 'bench-client') };
}

/** Builds the seed disk for one VM; returns its host public key (`ssh-ed25519 AAAA...`). */
export async function makeSeed(dir: string, plan: ClusterPlan, vm: VmPlan, clientPublicKey: string): Promise<{ seed: string; hostKey: string }> {
  const content = join(dir, `${vm.name}-seed`);
  await mkdir(content, { recursive: true });
  const pub = await keygen(join(content, 'ssh_host_ed25519_key'), `root@${vm.name}`);
  await writeFile(join(content, 'env'), `BENCH_HOSTNAME=${vm.name}\nBENCH_ADDRESS=${vm.address}/${vm.prefix}\n`);
  const hosts = ['127.0.0.1 localhost', ...plan.vms.map((v) => `${v.address} ${v.name}`)].join('\n');
  await writeFile(join(content, 'hosts'), `${hosts}\n`);
  await writeFile(join(content, 'authorized_keys'), `${clientPublicKey}\n`);
  const seed = join(dir, `${vm.name}-seed.img`);
  const r = await execa('mkfs.ext4', ['-q', '-F', '-d', content, seed, '4M'], { reject: false });
  if (r.exitCode !== 0) throw new Error(`mkfs.ext4 for the seed failed: ${r.stderr}`);
  const [type, key] = pub.split(' ');
  return { seed, hostKey: `${type} ${key}` };
}
