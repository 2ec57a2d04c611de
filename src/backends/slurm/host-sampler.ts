/**
 * Samples every host's /proc at a fixed interval while the workload runs. Samples keep their
 * epoch time; `run` puts them on the jobs' clock once the run's origin is known.
 */
import type { HostSample } from '../../results/host-series.js';
import type { Logger } from '../../graph/task-def.js';
import type { Host } from '../types.js';
import { parseProcSnapshot, PROC_SNAPSHOT_SCRIPT, toHostSample, type ProcCounters } from './proc-sample.js';
import { pause, type Remote } from './remote.js';

export interface HostSampler {
  /** Stops sampling; resolves with the rows, `t` in epoch seconds. */
  stop(): Promise<HostSample[]>;
}

/** Starts sampling `hosts` every `intervalMs`; the first snapshot of each host is its baseline. */
export function startHostSampler(remote: Remote, hosts: readonly Host[], intervalMs: number, log: Logger): HostSampler {
  const rows: HostSample[] = [];
  const previous = new Map<string, ProcCounters>();
  const stopped = new AbortController();
  const signal = AbortSignal.any([stopped.signal, remote.signal]);
  const sampleOne = async (h: Host): Promise<void> => {
    try {
      const r = await remote.transport.exec(remote.target(h), { script: PROC_SNAPSHOT_SCRIPT }, { timeoutMs: Math.max(5000, intervalMs), signal });
      const t = Date.now() / 1000;
      if (r.code !== 0) throw new Error(r.stderr.trim() || `exit ${String(r.code)}`);
      const cur = parseProcSnapshot(r.stdout);
      const prev = previous.get(h.name);
      if (prev) rows.push(toHostSample(h.name, t, prev, cur));
      previous.set(h.name, cur);
    } catch (e) {
      if (!signal.aborted) log.debug(`slurm: sampling ${h.name} failed: ${(e as Error).message}`);
    }
  };
  const loop = (async () => {
    while (!signal.aborted) {
      const tick = Date.now();
      await Promise.all(hosts.map(sampleOne));
      await pause(intervalMs - (Date.now() - tick), signal).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      stopped.abort();
      await loop;
      return rows.sort((a, b) => a.t - b.t || a.host.localeCompare(b.host));
    },
  };
}
