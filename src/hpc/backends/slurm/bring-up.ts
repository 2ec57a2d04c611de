/**
 * `configure` on real hosts: render the configuration, give every host the same fresh munge
 * key and the same slurm.conf, start munged everywhere, slurmctld on the head and slurmd on the
 * computes, and wait until every node is idle with the declared size. A failure carries the
 * daemons' own error lines and names the config keys SLURM rejected.
 */
import { randomBytes } from 'node:crypto';
import { DiagnosticError, formatDiagnostic } from '../../../engine/diagnostic.js';
import { shellCommand } from '../../remote/quote.js';
import type { BackendContext, Host } from '../types.js';
import { errorLines, ignoredSettings, rejectionMessage } from './daemon-log.js';
import {
  aliveScript, fakeGpuScript, prepareScript, START_SLURMCTLD, startMungeScript, startSlurmdScript, stopDaemonsScript, tailErrorsScript,
} from './host-scripts.js';
import { pause, type Remote } from '../../remote/remote.js';
import { renderSlurmConf, SLURM_PATHS } from './render-slurm-conf.js';
import { checkNodes, isStuck, parseSinfo, SINFO_ARGV } from './sinfo.js';

/** What `configure` learned, kept in the handle (JSON). */
export interface BringUpResult {
  clusterName: string;
  /** Renderer's choices (memory default, config_overrides). */
  notes: string[];
  /** Settings slurmctld accepted but ignores, in its own words. */
  ignored: string[];
  selectType: string;
  bringUpSeconds: number;
}

export interface BringUpOptions {
  config: Record<string, unknown>;
  readyTimeoutS: number;
  ctx: BackendContext;
}

/** A startup failure: the message is the whole explanation. */
export class SlurmStartError extends Error {
  override name = 'SlurmStartError';
}

/** True when any compute host declares more CPUs or memory than its machine has. */
async function declaredExceedsHosts(remote: Remote): Promise<boolean> {
  const real = await Promise.all(remote.computes.map(async (h) => {
    const out = await remote.must(h, { script: "nproc; awk '/^MemTotal:/ {print int($2/1024)}' /proc/meminfo" }, 'reading the host size');
    const [cpus, mem] = out.trim().split('\n').map(Number);
    return h.cpus > (cpus ?? 0) || h.memoryMiB > (mem ?? 0);
  }));
  return real.some(Boolean);
}

/** Error lines of the daemons' logs and of the start commands, per source. */
async function collectErrors(remote: Remote, extra: { source: string; text: string }[]): Promise<{ source: string; lines: string[] }[]> {
  const read = async (h: Host, path: string) => {
    try {
      return (await remote.exec(h, { script: tailErrorsScript(path) })).stdout;
    } catch (e) {
      return `error: cannot read ${path}: ${(e as Error).message}`;
    }
  };
  const logs = await Promise.all([
    read(remote.head, SLURM_PATHS.slurmctldLog).then((text) => ({ source: `${remote.head.name}:${SLURM_PATHS.slurmctldLog}`, text })),
    ...remote.computes.map((h) => read(h, SLURM_PATHS.slurmdLog).then((text) => ({ source: `${h.name}:${SLURM_PATHS.slurmdLog}`, text }))),
  ]);
  return [...extra, ...logs].map((s) => ({ source: s.source, lines: errorLines(s.text) }));
}

/**
 * Stops whatever started, best effort, so a failed configure leaves no daemon behind. Short
 * grace: a slurmd still trying to register with a dead slurmctld ignores TERM for ~10 s.
 */
async function stopQuietly(remote: Remote): Promise<void> {
  await Promise.all(remote.cluster.hosts.map((h) => remote.exec(h, { script: stopDaemonsScript(2) }, 20_000).catch(() => undefined)));
}

/** Key, configuration files and munged on one host. */
async function prepareHost(remote: Remote, h: Host, files: { key: Buffer; conf: string; gres?: string }): Promise<void> {
  await remote.must(h, { script: `${stopDaemonsScript()}\n${prepareScript()}` }, 'preparing SLURM and munge directories');
  await remote.upload(h, files.key, '/etc/munge/munge.key', 0o400);
  await remote.upload(h, files.conf, `${SLURM_PATHS.confDir}/slurm.conf`, 0o644);
  if (files.gres) await remote.upload(h, files.gres, `${SLURM_PATHS.confDir}/gres.conf`, 0o644);
  if (h.role === 'compute') await remote.must(h, { script: fakeGpuScript(h.gpus) }, 'creating fake GPU device files');
  await remote.must(h, { script: startMungeScript() }, 'starting munged');
}

/** Exit status of the readiness poll when slurmctld is not running. */
const CTLD_GONE = 97;

/** Polls sinfo until every node is idle with its declared size; throws with the reasons otherwise. */
async function waitForNodes(remote: Remote, opts: BringUpOptions): Promise<void> {
  const deadline = Date.now() + opts.readyTimeoutS * 1000;
  let last: string;
  for (;;) {
    // One command per poll; sinfo against a dead controller would spend seconds retrying first.
    const r = await remote.exec(remote.head, { script: `${aliveScript(SLURM_PATHS.slurmctldPid)} || exit ${CTLD_GONE}\n${shellCommand(SINFO_ARGV)}` });
    if (r.code === CTLD_GONE) throw new SlurmStartError('slurmctld exited after starting');
    if (r.code === 0) {
      const nodes = parseSinfo(r.stdout);
      const check = checkNodes(nodes, remote.computes);
      if (check.ready) return;
      last = [...check.mismatches, ...check.waiting].join('; ');
      if (check.mismatches.length || nodes.some(isStuck)) throw new SlurmStartError(`nodes do not match the topology: ${last}`);
    } else last = r.stderr.trim() || `sinfo exited ${String(r.code)}`;
    if (Date.now() > deadline) throw new SlurmStartError(`nodes not idle within ${opts.readyTimeoutS} s (ready_timeout_s): ${last}`);
    await pause(200, opts.ctx.signal);
  }
}

/** Brings SLURM up on the cluster; on failure stops what it started and throws with the daemons' errors. */
export async function bringUp(remote: Remote, opts: BringUpOptions): Promise<BringUpResult> {
  const started = Date.now();
  const clusterName = `bench${randomBytes(3).toString('hex')}`;
  const configOverrides = remote.cluster.scaledNote !== undefined || await declaredExceedsHosts(remote);
  const rendered = renderSlurmConf(remote.cluster, opts.config, { clusterName, configOverrides });
  for (const d of rendered.diagnostics.filter((x) => x.severity === 'warning')) opts.ctx.log.warn(formatDiagnostic(d));
  const errors = rendered.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new DiagnosticError(errors);
  const key = randomBytes(1024);
  const starts: { source: string; text: string }[] = [];
  try {
    await Promise.all(remote.cluster.hosts.map((h) => prepareHost(remote, h, { key, conf: rendered.text, ...(rendered.gresConf ? { gres: rendered.gresConf } : {}) })));
    opts.ctx.log.debug(`slurm: hosts prepared, munged up at ${((Date.now() - started) / 1000).toFixed(2)} s`);
    const ctld = await remote.exec(remote.head, { script: START_SLURMCTLD });
    opts.ctx.log.debug(`slurm: slurmctld started at ${((Date.now() - started) / 1000).toFixed(2)} s`);
    starts.push({ source: `${remote.head.name}: slurmctld`, text: ctld.stderr });
    if (ctld.code !== 0) throw new SlurmStartError(`slurmctld did not start (exit ${String(ctld.code)})`);
    await Promise.all(remote.computes.map(async (h) => {
      const r = await remote.exec(h, { script: startSlurmdScript(h.name) });
      starts.push({ source: `${h.name}: slurmd`, text: r.stderr });
      if (r.code !== 0) throw new SlurmStartError(`slurmd on ${h.name} did not start (exit ${String(r.code)})`);
    }));
    opts.ctx.log.debug(`slurm: slurmd started at ${((Date.now() - started) / 1000).toFixed(2)} s`);
    await waitForNodes(remote, opts);
  } catch (e) {
    if (opts.ctx.signal.aborted) {
      await stopQuietly(remote);
      throw e;
    }
    opts.ctx.log.debug(`slurm: failed at ${((Date.now() - started) / 1000).toFixed(2)} s: ${(e as Error).message}`);
    const sections = await collectErrors(remote, starts);
    await stopQuietly(remote);
    opts.ctx.log.debug(`slurm: daemons stopped at ${((Date.now() - started) / 1000).toFixed(2)} s`);
    throw new SlurmStartError(rejectionMessage(`SLURM did not come up: ${(e as Error).message}`, sections, opts.config));
  }
  const ctldLog = (await remote.exec(remote.head, { script: tailErrorsScript(SLURM_PATHS.slurmctldLog) })).stdout;
  const selectType = String(Object.entries(opts.config).find(([k]) => k.toLowerCase() === 'selecttype')?.[1] ?? '(SLURM default)');
  return { clusterName, notes: rendered.notes, ignored: ignoredSettings(ctldLog), selectType, bringUpSeconds: (Date.now() - started) / 1000 };
}
