/**
 * Pure renderer of slurm.conf and gres.conf for a cluster and the `scheduler` config group.
 * The backend owns the parts that make the daemons run on bench's hosts (controller, auth,
 * paths, process tracking, node and partition lines); the config supplies the scheduling keys,
 * written as they stand. Nothing here touches a host: `configure` uploads the text.
 */
import type { Diagnostic } from '../../../engine/diagnostic.js';
import { SLURM_CONF_KEYS, SLURM_OBSOLETE_KEYS, SLURM_SCHEDULER_PARAMETERS } from './slurm-keys.js';
import type { Cluster, Host } from '../types.js';

/** Keys of the `scheduler` group that are bench's own, not slurm.conf keys. */
export const BENCH_SLURM_KEYS = ['kind', 'manage', 'payload', 'sample_interval_s', 'poll_min_s', 'poll_max_s', 'ready_timeout_s', 'submit_memory', 'partition'] as const;

/** Where the daemons keep their files on every host (the netns provider bind-mounts these per host). */
export const SLURM_PATHS = {
  confDir: '/etc/slurm',
  stateSave: '/var/spool/slurmctld',
  slurmdSpool: '/var/spool/slurmd',
  logDir: '/var/log/slurm',
  slurmctldLog: '/var/log/slurm/slurmctld.log',
  slurmdLog: '/var/log/slurm/slurmd.log',
  jobComp: '/var/log/slurm/jobcomp.txt',
  slurmctldPid: '/run/slurmctld.pid',
  slurmdPid: '/run/slurmd.pid',
  /** Stand-ins for GPU device files: symlinks to /dev/null, which slurmd accepts as character devices. */
  fakeGpuDir: '/etc/slurm/fake-gpu',
} as const;

/** The partition every compute node is in. */
export const PARTITION = 'batch';

export interface RenderOptions {
  clusterName: string;
  /**
   * Let slurmd accept declared sizes larger than its host (`SlurmdParameters=config_overrides`).
   * Default: when the provider says sizes were scaled (`cluster.scaledNote`).
   */
  configOverrides?: boolean;
}

export interface RenderedSlurmConf {
  text: string;
  /** gres.conf, present when any compute host declares GPUs. */
  gresConf?: string;
  diagnostics: Diagnostic[];
  /** Choices the renderer made that shape results (recorded with the run). */
  notes: string[];
}

/**
 * Keys bench must set itself for the daemons to run on its hosts; a config setting one is an
 * error rather than silently ignored or silently breaking bring-up.
 */
const OWNED = new Set([
  'ClusterName', 'SlurmctldHost', 'ControlMachine', 'ControlAddr', 'BackupController', 'BackupAddr', 'SlurmUser', 'SlurmdUser',
  'AuthType', 'AuthInfo', 'CredType', 'StateSaveLocation', 'SlurmdSpoolDir', 'SlurmctldLogFile', 'SlurmdLogFile',
  'SlurmctldPidFile', 'SlurmdPidFile', 'JobCompType', 'JobCompLoc', 'ProctrackType', 'TaskPlugin', 'GresTypes',
  'NodeName', 'PartitionName', 'SlurmctldPort', 'SlurmdPort',
].map((k) => k.toLowerCase()));

const KNOWN = new Set(SLURM_CONF_KEYS.map((k) => k.toLowerCase()));
const OBSOLETE = new Set(SLURM_OBSOLETE_KEYS.map((k) => k.toLowerCase()));
const SCHED_PARAMS = new Set(SLURM_SCHEDULER_PARAMETERS);
const BENCH = new Set<string>(BENCH_SLURM_KEYS);
const MEM_DEFAULTS = ['defmempercpu', 'defmempernode', 'defmempergpu'];

/** slurm.conf value syntax: booleans as YES/NO, values with blanks quoted (`slurmValueProblem` keeps quotes out). */
function formatValue(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'YES' : 'NO';
  const s = String(v);
  return / /.test(s) ? `"${s}"` : s;
}

/**
 * Why slurm.conf cannot hold this value, or undefined. Its parser reads one directive per line and
 * has no escapes: a line break would start a directive of the value's choosing, another control
 * character (a tab, a carriage return) splits or hides one, `#` starts a comment, a double quote
 * ends the quoting of a value with blanks, and `\` joins the next line. `option` (a sub-value of
 * SchedulerParameters) also may not hold `,` or `=` or blanks, which would add options.
 */
export function slurmValueProblem(value: unknown, option = false): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bad = [...value].map((ch) => ch.codePointAt(0) ?? 0).find((c) => c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029);
  if (bad !== undefined) return `slurm.conf cannot hold the control character U+${bad.toString(16).padStart(4, '0').toUpperCase()} in a value (it would end or split the directive)`;
  if (value.includes('#')) return 'slurm.conf reads "#" as the start of a comment';
  if (value.includes('"')) return 'slurm.conf has no way to escape a double quote in a value';
  if (value.includes('\\')) return 'slurm.conf reads "\\" as a line continuation';
  if (option && /[,= ]/.test(value)) return 'a SchedulerParameters option value cannot hold ",", "=" or a blank (they would add options)';
  return undefined;
}

/** Names and addresses on NodeName/SlurmctldHost/gres.conf lines: one bare word each. */
function hostWordProblem(s: string): boolean {
  return !/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(s);
}

/** `SchedulerParameters` from its YAML map: comma-joined `k=v`, `true` as a bare flag, `false` left out. */
export function renderSchedulerParameters(value: unknown, diagnostics: Diagnostic[]): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') {
    const problem = slurmValueProblem(String(value)) ?? slurmValueProblem(String(value), true);
    if (problem) diagnostics.push({ severity: 'error', keyPath: 'scheduler.SchedulerParameters', message: problem, found: JSON.stringify(value) });
    return problem ? undefined : String(value);
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!SCHED_PARAMS.has(k)) {
      diagnostics.push({ severity: 'error', keyPath: `scheduler.SchedulerParameters.${k}`, message: `"${k}" is not a SchedulerParameters option of SLURM 22.05`, expected: 'an option documented in slurm.conf(5)' });
      continue;
    }
    const problem = slurmValueProblem(typeof v === 'string' ? v : undefined, true);
    if (problem) {
      diagnostics.push({ severity: 'error', keyPath: `scheduler.SchedulerParameters.${k}`, message: problem, found: JSON.stringify(v) });
      continue;
    }
    if (v === true) parts.push(k);
    else if (v !== false && v !== null && v !== undefined) parts.push(`${k}=${String(v)}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

function nodeLine(h: Host): string {
  const gres = h.gpus > 0 ? ` Gres=gpu:${h.gpus}` : '';
  return `NodeName=${h.name} NodeAddr=${h.address} CPUs=${h.cpus} Boards=1 SocketsPerBoard=1 CoresPerSocket=${h.cpus} ThreadsPerCore=1 RealMemory=${h.memoryMiB}${gres}`;
}

/** gres.conf lines naming fake device files, so slurmd registers GPUs that do not exist. */
export function renderGresConf(computes: readonly Host[]): string | undefined {
  const withGpus = computes.filter((h) => h.gpus > 0);
  if (withGpus.length === 0) return undefined;
  const files = (n: number) => (n === 1 ? `${SLURM_PATHS.fakeGpuDir}/gpu0` : `${SLURM_PATHS.fakeGpuDir}/gpu[0-${n - 1}]`);
  return ['# The GPUs are declared, not real: each File is a symlink to /dev/null.', 'AutoDetect=off',
    ...withGpus.map((h) => `NodeName=${h.name} Name=gpu File=${files(h.gpus)}`), ''].join('\n');
}

/** The lines bench sets for its hosts, before the config's keys. */
function baseLines(cluster: Cluster, head: Host, opts: RenderOptions): Map<string, string> {
  const p = SLURM_PATHS;
  return new Map<string, string>([
    ['ClusterName', opts.clusterName],
    ['SlurmctldHost', `${head.name}(${head.address})`],
    ['SlurmUser', 'root'],
    ['AuthType', 'auth/munge'],
    ['CredType', 'cred/munge'],
    // Namespaces have no cgroup delegation: track processes by parent PID, bind no tasks.
    ['ProctrackType', 'proctrack/linuxproc'],
    ['TaskPlugin', 'task/none'],
    ['JobCompType', 'jobcomp/filetxt'],
    ['JobCompLoc', p.jobComp],
    ['StateSaveLocation', p.stateSave],
    ['SlurmdSpoolDir', p.slurmdSpool],
    ['SlurmctldLogFile', p.slurmctldLog],
    ['SlurmdLogFile', p.slurmdLog],
    ['SlurmctldPidFile', p.slurmctldPid],
    ['SlurmdPidFile', p.slurmdPid],
    ['ReturnToService', '2'],
    // The payloads (sleep, stress-ng, srun) need no MPI wiring.
    ['MpiDefault', 'none'],
    ['MailProg', '/bin/true'],
    ...((opts.configOverrides ?? cluster.scaledNote !== undefined) ? [['SlurmdParameters', 'config_overrides'] as [string, string]] : []),
    ...(cluster.hosts.some((h) => h.role === 'compute' && h.gpus > 0) ? [['GresTypes', 'gpu'] as [string, string]] : []),
  ]);
}

/** Checks one config key; returns the canonical spelling to render, or undefined to skip it. */
function checkKey(key: string, diagnostics: Diagnostic[]): string | undefined {
  const lower = key.toLowerCase();
  const keyPath = `scheduler.${key}`;
  if (!KNOWN.has(lower) && !OBSOLETE.has(lower)) {
    diagnostics.push({ severity: 'error', keyPath, message: `"${key}" is not a slurm.conf key of SLURM 22.05`, expected: 'a key from slurm.conf(5)' });
    return undefined;
  }
  if (OWNED.has(lower)) {
    diagnostics.push({ severity: 'error', keyPath, message: `"${key}" is set by the SLURM backend for its hosts and cannot be configured` });
    return undefined;
  }
  if (OBSOLETE.has(lower)) diagnostics.push({ severity: 'warning', keyPath, message: `"${key}" is obsolete: slurm.conf(5) of 22.05 no longer documents it` });
  return SLURM_CONF_KEYS.find((k) => k.toLowerCase() === lower) ?? SLURM_OBSOLETE_KEYS.find((k) => k.toLowerCase() === lower) ?? key;
}

/** Adds the config's keys to `lines` (config values replace bench's defaults where allowed). */
function addConfigKeys(lines: Map<string, string>, config: Record<string, unknown>, diagnostics: Diagnostic[]): void {
  const canonical = new Map([...lines.keys()].map((k) => [k.toLowerCase(), k]));
  for (const [key, value] of Object.entries(config)) {
    if (BENCH.has(key) || value === null || value === undefined) continue;
    const name = checkKey(key, diagnostics);
    if (name === undefined) continue;
    if (name === 'SchedulerParameters') {
      const rendered = renderSchedulerParameters(value, diagnostics);
      if (rendered !== undefined) lines.set(name, rendered);
      continue;
    }
    if (typeof value === 'object') {
      diagnostics.push({ severity: 'error', keyPath: `scheduler.${key}`, message: 'slurm.conf values are scalars', expected: 'a string, number or boolean', found: Array.isArray(value) ? 'a list' : 'a map' });
      continue;
    }
    const problem = slurmValueProblem(value);
    if (problem) {
      diagnostics.push({ severity: 'error', keyPath: `scheduler.${key}`, message: problem, found: JSON.stringify(value) });
      continue;
    }
    const rendered = formatValue(value as string | number | boolean);
    const existing = canonical.get(name.toLowerCase());
    if (name === 'SlurmdParameters' && lines.has(name)) lines.set(name, `${rendered},config_overrides`);
    else lines.set(existing ?? name, rendered);
  }
}

/**
 * With memory as a consumable and no default, SLURM gives each job without `--mem` all of a
 * node's memory, so jobs never share a node. A per-CPU default that divides each node evenly
 * keeps core-level sharing, which is what the cores in the workload mean.
 */
function addMemoryDefault(lines: Map<string, string>, computes: readonly Host[], notes: string[]): void {
  const select = [...lines.entries()].find(([k]) => k.toLowerCase() === 'selecttypeparameters')?.[1] ?? '';
  if (!/memory/i.test(select)) return;
  if ([...lines.keys()].some((k) => MEM_DEFAULTS.includes(k.toLowerCase()))) return;
  const perCpu = Math.max(1, Math.min(...computes.map((h) => Math.floor(h.memoryMiB / Math.max(1, h.cpus)))));
  lines.set('DefMemPerCPU', String(perCpu));
  notes.push(`DefMemPerCPU=${perCpu} set: SelectTypeParameters=${select} makes memory consumable, and without a default every job would take a whole node's memory`);
}

/** slurm.conf (and gres.conf) for `cluster`; errors name each config key SLURM would not accept. */
export function renderSlurmConf(cluster: Cluster, config: Record<string, unknown>, opts: RenderOptions): RenderedSlurmConf {
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  const head = cluster.hosts.find((h) => h.role === 'head');
  const computes = cluster.hosts.filter((h) => h.role === 'compute');
  if (!head) diagnostics.push({ severity: 'error', message: 'the cluster has no head host to run slurmctld' });
  if (computes.length === 0) diagnostics.push({ severity: 'error', message: 'the cluster has no compute hosts to run slurmd' });
  if (!head || computes.length === 0) return { text: '', diagnostics, notes };
  for (const h of cluster.hosts) {
    for (const word of [h.name, h.address]) {
      if (hostWordProblem(word)) diagnostics.push({ severity: 'error', message: `host ${JSON.stringify(word)} cannot be written to slurm.conf`, expected: 'a host name or address of letters, digits, ".", "_", ":" and "-"' });
    }
  }
  if (hostWordProblem(opts.clusterName)) diagnostics.push({ severity: 'error', message: `cluster name ${JSON.stringify(opts.clusterName)} cannot be written to slurm.conf`, expected: 'letters, digits, ".", "_", ":" and "-"' });
  const lines = baseLines(cluster, head, opts);
  addConfigKeys(lines, config, diagnostics);
  addMemoryDefault(lines, computes, notes);
  if (lines.get('SlurmdParameters')?.includes('config_overrides')) notes.push(`SlurmdParameters=config_overrides: ${cluster.scaledNote ?? 'declared sizes exceed the hosts'}`);
  const text = [
    '# slurm.conf written by bench for this cluster; scheduling keys come from the scheduler config.',
    ...[...lines.entries()].map(([k, v]) => `${k}=${v}`),
    ...computes.map(nodeLine),
    `PartitionName=${PARTITION} Nodes=${computes.map((h) => h.name).join(',')} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
  const gresConf = renderGresConf(computes);
  return { text, ...(gresConf ? { gresConf } : {}), diagnostics, notes };
}
