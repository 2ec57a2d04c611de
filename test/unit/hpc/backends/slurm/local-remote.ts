/**
 * A `Remote` whose "head host" is this machine: commands run locally with `sh`, and a directory
 * of stand-in SLURM commands comes first on PATH. Lets the scripts bench sends run for real.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Remote } from '../../../../../src/hpc/remote/remote.js';
import { shellCommand } from '../../../../../src/hpc/remote/quote.js';
import type { ExecResult, Transport } from '../../../../../src/hpc/remote/types.js';
import type { Cluster } from '../../../../../src/hpc/backends/types.js';

export function localRemote(binDir: string): Remote {
  const exec = (command: string[] | { script: string }): Promise<ExecResult> => {
    const script = Array.isArray(command) ? shellCommand(command) : command.script;
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${binDir}:${process.env['PATH'] ?? ''}` } });
    return Promise.resolve({ code: r.status, stdout: r.stdout, stderr: r.stderr });
  };
  const transport = { exec: (_t: unknown, c: string[] | { script: string }) => exec(c) } as unknown as Transport;
  const cluster: Cluster = {
    provider: 'ssh', clientKeyPath: '/dev/null', data: {},
    hosts: [{ name: 'login', role: 'head', address: '127.0.0.1', port: 22, user: 'alice', cpus: 1, memoryMiB: 1, gpus: 0, hostKey: 'ssh-ed25519 AAAA' }],
  };
  return new Remote(transport, cluster, new AbortController().signal);
}

/** Writes an executable stand-in `name` into `binDir`. */
export function standIn(binDir: string, name: string, body: string): void {
  writeFileSync(join(binDir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(binDir, name), 0o755);
}
