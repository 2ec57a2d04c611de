/**
 * The shell run on cluster hosts to prepare, start and stop munged, slurmctld and slurmd.
 * Pure text; every daemon runs with TZ=UTC so the times it writes need no zone to read.
 */
import { shellQuote } from '../../remote/quote.js';
import { SLURM_PATHS } from './render-slurm-conf.js';

const MUNGE_DIRS = ['/etc/munge', '/var/lib/munge', '/var/log/munge', '/run/munge'];
const SLURM_DIRS = [SLURM_PATHS.confDir, SLURM_PATHS.logDir, SLURM_PATHS.stateSave, SLURM_PATHS.slurmdSpool];

/** Directories, and the previous run's logs and state cleared, so every error line is this run's. */
export function prepareScript(): string {
  return [
    'set -e',
    `mkdir -p ${[...MUNGE_DIRS, ...SLURM_DIRS].join(' ')}`,
    `rm -f ${SLURM_PATHS.slurmctldLog} ${SLURM_PATHS.slurmdLog} ${SLURM_PATHS.jobComp}`,
    `find ${SLURM_PATHS.stateSave} ${SLURM_PATHS.slurmdSpool} -mindepth 1 -delete`,
  ].join('\n');
}

/**
 * Starts munged on a host whose key was just uploaded: as the `munge` user where there is one
 * (munged checks that its key and directories belong to the user it runs as), else as root.
 * Then checks that a credential made here decodes here.
 */
export function startMungeScript(): string {
  return [
    'set -e',
    'if id munge >/dev/null 2>&1; then',
    `  chown munge:munge ${MUNGE_DIRS.join(' ')} /etc/munge/munge.key`,
    '  runuser -u munge -- /usr/sbin/munged',
    'else',
    '  /usr/sbin/munged --force',
    'fi',
    'munge -n | unmunge >/dev/null',
  ].join('\n');
}

/** Fake GPU device files for gres.conf: symlinks to /dev/null, which slurmd takes as character devices. */
export function fakeGpuScript(gpus: number): string {
  if (gpus <= 0) return 'true';
  const dir = SLURM_PATHS.fakeGpuDir;
  return [`mkdir -p ${dir}`, ...Array.from({ length: gpus }, (_, i) => `ln -sfn /dev/null ${dir}/gpu${i}`)].join('\n');
}

/** slurmctld with its previous state cleared (`-c`); it daemonises once its configuration parses. */
export const START_SLURMCTLD = 'TZ=UTC /usr/sbin/slurmctld -c';

/** slurmd under the node name SLURM knows the host by. */
export function startSlurmdScript(nodeName: string): string {
  return `TZ=UTC /usr/sbin/slurmd -N ${shellQuote(nodeName)}`;
}

/**
 * `running PID`: exit 0 while the process exists and is not a zombie. A daemon that died waits
 * as a zombie until the machine's init reaps it, and `kill -0` still succeeds on a zombie.
 */
const RUNNING_FN = 'running() { s=$(cut -d\' \' -f3 "/proc/$1/stat" 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]; }';

/** Exit status 0 while the daemon of `pidFile` runs. */
export function aliveScript(pidFile: string): string {
  return `${RUNNING_FN}\ntest -f ${pidFile} && running "$(cat ${pidFile})"`;
}

/**
 * Stops this host's daemons by their PID files (slurm first, munged last, since slurm needs
 * munge to say goodbye): TERM, up to `graceS` seconds, then KILL. A PID is only signalled while its command
 * line still names the daemon, so a reused PID is left alone. Idempotent.
 */
export function stopDaemonsScript(graceS = 10): string {
  return [
    RUNNING_FN,
    'stop() {',
    '  [ -f "$1" ] || return 0',
    '  p=$(cat "$1")',
    '  if [ -n "$p" ] && grep -q "$2" "/proc/$p/cmdline" 2>/dev/null; then',
    '    kill "$p" 2>/dev/null || true',
    `    i=0; while running "$p" && [ $i -lt ${Math.ceil(graceS * 5)} ]; do sleep 0.2; i=$((i+1)); done`,
    '    if running "$p"; then kill -9 "$p" 2>/dev/null || true; fi',
    '  fi',
    '  rm -f "$1"',
    '}',
    `stop ${SLURM_PATHS.slurmdPid} slurmd`,
    `stop ${SLURM_PATHS.slurmctldPid} slurmctld`,
    'stop /run/munge/munged.pid munged',
  ].join('\n');
}

/** Cancels every job, so the daemons stop with nothing running. */
export const CANCEL_ALL = 'squeue -h -o %i 2>/dev/null | xargs -r scancel 2>/dev/null || true';

/** The log lines a failed start is explained by. */
export function tailErrorsScript(path: string): string {
  return `test -f ${path} && tail -n 400 ${path} || true`;
}
