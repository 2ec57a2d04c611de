/**
 * A service or client job's commands inside a podman container on its node: the kind's commands
 * are written to `$D/.bench-job.sh` and run by `sh` in a container of the image, with host
 * networking (the node's network namespace, so the service answers at the node's address), `$D`
 * mounted at the same path as its working directory, and the recipe's environment.
 *
 * podman runs the container under conmon, which leaves the job's process tree, so SLURM ending
 * the job does not end the container by itself: `podman run` runs in the background while the
 * batch shell waits (a shell runs a trap only between commands, and `wait` is interruptible), and
 * SIGTERM (scancel, the time limit) makes the trap remove the container by its name. Every
 * container carries the label `bench.owner=<the service's tag>`, service and clients alike, so
 * undeploying a service also removes a client container left by a job that was killed outright.
 */
import { shellQuote } from '../remote/quote.js';
import { storeEnv, type ContainerStore } from './container-store.js';
import type { JobRole } from './job-script.js';

export interface ContainerRun {
  store: ContainerStore;
  /** Image reference in the store (`localhost/bench-services:<digest>`). */
  image: string;
  /** This job's random tag: its container is `bench-<role>-<job id>-<tag>`. */
  tag: string;
  /** Tag of the service the job belongs to (its own for a service job), as `bench.owner`. */
  owner: string;
  /** The recipe's memory, as the container's limit too (`--memory`). */
  memoryMib: number;
}

const TAG = /^[a-z0-9]{4,32}$/;

/** A fresh random tag. */
export function newContainerTag(): string {
  return Math.random().toString(36).slice(2, 10).padEnd(8, '0');
}

export function containerName(role: JobRole, jobId: number, tag: string): string {
  return `bench-${role}-${jobId}-${tag}`;
}

/**
 * podman refuses limits above its own hard ones, and it runs conmon with RLIMIT_NPROC 32768
 * whatever the shell had (seen on podman 4.3), so the container asks for the shell's hard limits,
 * at most that.
 */
const ULIMITS = [
  // Max user processes is -u in bash and -p in dash (where -p is not the pipe size).
  'nf=$(ulimit -Hn); np=$(ulimit -Hu 2>/dev/null || ulimit -Hp 2>/dev/null || echo 32768)',
  'case "$np" in unlimited|*[!0-9]*) np=32768;; esac; [ "$np" -gt 32768 ] && np=32768',
];

/** The script lines that replace the kind's commands when the job runs in a container. */
export function containerRunLines(c: ContainerRun, role: JobRole, envNames: readonly string[], body: string): string[] {
  if (!TAG.test(c.tag) || !TAG.test(c.owner)) throw new Error(`not a container tag: ${c.tag} / ${c.owner}`);
  for (const k of envNames) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`not an environment variable name: ${k}`);
  const env = Object.entries(storeEnv(c.store)).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  const run = [
    'podman', 'run', '--rm', '--replace', '--pull=never', '--network=host', '--name="$N"', `--label=bench.owner=${c.owner}`,
    '--ulimit="nofile=$nf:$nf"', '--ulimit="nproc=$np:$np"', `--memory=${c.memoryMib}m`,
    '--volume="$D:$D"', '--workdir="$D"', '--env=D="$D"', ...envNames.map((k) => `--env=${k}`),
    shellQuote(c.image), 'sh', '"$D/.bench-job.sh"',
  ];
  return [
    `printf '%s\\n' ${shellQuote(body)} > "$D/.bench-job.sh"`,
    ...env,
    `N="bench-${role}-$SLURM_JOB_ID-${c.tag}"`,
    ...ULIMITS,
    // On TERM: remove the container (2 s for it to stop), then end like a signalled job.
    'stop() { trap - TERM INT HUP; podman rm -f -i -t 2 "$N" >/dev/null 2>&1; exit 143; }',
    'trap stop TERM INT HUP',
    `${run.join(' ')} &`,
    'wait $!',
    'rc=$?',
    'exit $rc',
    '',
  ];
}

/** argv (run on a node) removing every container of a service: its own and its clients'. */
export function removeOwnedContainersArgv(store: ContainerStore, owner: string): string[] {
  if (!TAG.test(owner)) throw new Error(`not a container tag: ${owner}`);
  const env = Object.entries(storeEnv(store)).map(([k, v]) => `${k}=${v}`);
  return ['env', ...env, 'podman', 'rm', '-f', '-i', '-t', '2', '--filter', `label=bench.owner=${owner}`];
}

/** argv listing the store's containers (`podman ps -a`), names only. */
export function listContainersArgv(store: ContainerStore): string[] {
  const env = Object.entries(storeEnv(store)).map(([k, v]) => `${k}=${v}`);
  return ['env', ...env, 'podman', 'ps', '-a', '--format', '{{.Names}}'];
}
