/**
 * The record of a netns cluster: everything teardown needs, as JSON. It is written before each
 * thing is created, renamed into place so a reader never sees half a file, and it is the
 * Cluster's `data`, so `down` works from a later process too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HostState } from '../descriptor.js';
import type { NetnsHostPlan } from './plan-netns.js';

/** One host as teardown needs it. */
export interface NetnsHostState extends NetnsHostPlan {
  /** Per-host directory: keys, sshd config and log, the bind-mounted /etc and /var dirs. */
  dir: string;
  /** The host's long-lived process (nsenter, exec'd into sshd), once started. */
  pid?: number;
  /** OpenSSH public key line (`ssh-ed25519 AAAA...`), once generated. */
  hostKey?: string;
}

/** A whole cluster as teardown needs it. */
export interface NetnsState {
  id: string;
  /** Cluster directory under the state dir; every host process's command line names it. */
  dir: string;
  stateFile: string;
  bridge: string;
  hostCidr: string;
  prefix: number;
  hosts: NetnsHostState[];
  /** PID of the bench process that brought the cluster up: while it lives, the cluster is not a leftover. */
  owner?: number;
  /** The schedulers' per-host state (from their descriptors), given with the provider config. */
  hostState?: HostState;
}

/** Files of one host under its directory; the sshd config path also marks its processes. */
export function hostPaths(h: { dir: string }): { hostKey: string; sshdConfig: string; log: string; root: string } {
  return {
    hostKey: join(h.dir, 'ssh', 'ssh_host_ed25519_key'),
    sshdConfig: join(h.dir, 'ssh', 'sshd_config'),
    log: join(h.dir, 'sshd.log'),
    // Mirrors the host's view: <root>/etc/munge is bind-mounted over /etc/munge, and so on.
    root: join(h.dir, 'root'),
  };
}

/** Where live clusters are recorded so a later process finds leftovers. */
export function netnsStateDir(config: Record<string, unknown>): string {
  if (typeof config['state_dir'] === 'string') return resolve(config['state_dir']);
  return resolve(typeof config['cache_dir'] === 'string' ? config['cache_dir'] : 'cache', 'netns');
}

/**
 * Saves `state` atomically, one write at a time: hosts are set up concurrently, and two renames
 * finishing out of order would put an older snapshot over a newer one.
 */
export function stateWriter(state: NetnsState): () => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  let n = 0;
  return () => {
    chain = chain.then(async () => {
      const tmp = `${state.stateFile}.${process.pid}.${++n}.tmp`;
      // Serialised when the write runs, not when it was asked for, so the last write is the newest.
      await writeFile(tmp, JSON.stringify(state, null, 2));
      await rename(tmp, state.stateFile);
    });
    return chain;
  };
}

/** Every cluster recorded under the state dir (live or half torn down). */
export function readStates(stateDir: string): NetnsState[] {
  if (!existsSync(stateDir)) return [];
  const states: NetnsState[] = [];
  for (const f of readdirSync(stateDir).filter((n) => n.endsWith('.json'))) {
    // Files are renamed into place, so one that does not parse is not ours; skip it.
    try {
      const s = JSON.parse(readFileSync(join(stateDir, f), 'utf8')) as NetnsState;
      if (typeof s.id === 'string' && Array.isArray(s.hosts)) states.push(s);
    } catch {
      continue;
    }
  }
  return states;
}
