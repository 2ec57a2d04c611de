/**
 * `executor.provider=ssh`: an existing SLURM cluster reached at its login node over the pooled,
 * host-key-pinned SSH transport (host keys from `known_hosts`, never trusted on first use).
 * Nothing is brought up or taken down. Job files go through `shared_dir` when the cluster's
 * filesystem is mounted here at the same path, else over SFTP into `remote_cache_dir` (default
 * `~/.cache/bench-executor` on the cluster, which its compute hosts must see, as a cluster's
 * home or scratch filesystem is). The cluster needs Node 20 (`executor.node`) and SLURM.
 */
import { homedir, userInfo } from 'node:os';
import { join, posix } from 'node:path';
import type { Logger } from '../../engine/graph/task-def.js';
import { sshProvider } from '../backends/ssh/ssh-provider.js';
import type { Topology } from '../backends/types.js';
import { Remote } from '../remote/remote.js';
import { SshPool } from '../remote/ssh-pool.js';
import type { ExecutionCluster } from './execution-cluster.js';
import type { SlurmExecutorConfig } from './executor-schema.js';
import { SftpFiles, SharedFiles } from './job-files.js';
import { recordCluster } from './orphaned-jobs.js';

export async function openSshCluster(cfg: SlurmExecutorConfig, o: { cacheDir: string; log: Logger; signal: AbortSignal }): Promise<ExecutionCluster> {
  const hosts = Array.isArray(cfg.hosts) ? cfg.hosts : [];
  const login = hosts[0];
  if (!login) throw new Error('executor.provider=ssh needs executor.hosts: [the login node]');
  const reach = {
    login, user: cfg.user ?? userInfo().username, key: cfg.key ?? join(homedir(), '.ssh', 'id_ed25519'),
    ...(cfg.port !== undefined ? { port: cfg.port } : {}), ...(cfg.known_hosts ? { known_hosts: cfg.known_hosts } : {}),
  };
  const { login: _l, ...rest } = reach;
  const cluster = await sshProvider.up({} as Topology, { kind: 'ssh', hosts: [login], ...rest }, { signal: o.signal, log: o.log, workDir: o.cacheDir });
  // Before anything is submitted: a coordinator killed from here on leaves jobs gc can find.
  recordCluster(o.cacheDir, reach);
  const pool = new SshPool({ onEvent: (e) => o.log.debug(`ssh: ${JSON.stringify(e)}`) });
  const remote = new Remote(pool, cluster, o.signal);
  try {
    const r = await remote.must(remote.head, { script: 'command -v sbatch >/dev/null || echo no-sbatch; printf "%s\\n" "$HOME"' }, 'checking the login node');
    const lines = r.trim().split('\n');
    const home = lines.at(-1) ?? '';
    if (lines[0] === 'no-sbatch') throw new Error(`${login}: sbatch is not on the login node's PATH; is SLURM's client installed there?`);
    const files = cfg.shared_dir
      ? new SharedFiles(cfg.shared_dir)
      : new SftpFiles(join(o.cacheDir, 'executor'), cfg.remote_cache_dir ?? posix.join(home, '.cache', 'bench-executor'), remote);
    o.log.info(`executor: SLURM at ${login}; job files ${files.kind === 'shared' ? `in the shared ${files.localRoot}` : `over SFTP in ${files.clusterRoot}`}`);
    // Jobs of a killed coordinator may still be in this cluster's queue: look for them on every run.
    return { remote, files, node: cfg.node ?? 'node', adopted: true, close: () => pool.close() };
  } catch (e) {
    await pool.close();
    throw e;
  }
}
