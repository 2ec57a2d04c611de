/**
 * Samples every host's /proc at a fixed interval while the workload runs, through a loop left on
 * each host (sampler-loop.ts) and read when sampling stops. Samples keep their epoch time, moved
 * onto our clock by the host's measured offset; `run` puts them on the jobs' clock once the run's
 * origin is known.
 */
import { randomBytes } from 'node:crypto';
import type { HostSample } from '../results/host-series.js';
import type { Logger } from '../../engine/graph/task-def.js';
import type { Host } from '../backends/types.js';
import { toHostSample } from './proc-sample.js';
import type { Remote } from '../remote/remote.js';
import { clockOffsetS, parseSamplerLog, samplerLoopScript, samplerReadScript } from './sampler-loop.js';

export interface HostSampler {
  /** Stops sampling; resolves with the rows, `t` in epoch seconds. */
  stop(): Promise<HostSample[]>;
}

/** Starts sampling `hosts` every `intervalMs`; the first snapshot of each host is its baseline. */
export function startHostSampler(remote: Remote, hosts: readonly Host[], intervalMs: number, log: Logger): HostSampler {
  const loops = new AbortController();
  const signal = AbortSignal.any([loops.signal, remote.signal]);
  const id = randomBytes(4).toString('hex');
  // Hosts may share /tmp (namespaced hosts do), so each file is named by host too.
  const fileOf = (h: Host) => `/tmp/bench-sampler-${id}-${h.name.replace(/[^\w.-]/g, '_')}.txt`;
  const running = hosts.map((h) => remote.transport.exec(remote.target(h), { script: samplerLoopScript(fileOf(h), intervalMs / 1000) }, { signal })
    .then((r) => { if (!signal.aborted) log.debug(`slurm: sampler on ${h.name} ended early: ${r.stderr.trim() || `exit ${String(r.code)}`}`); })
    .catch((e: unknown) => { if (!signal.aborted) log.debug(`slurm: sampler on ${h.name} failed: ${(e as Error).message}`); }));

  const collect = async (h: Host): Promise<HostSample[]> => {
    const sent = Date.now();
    const r = await remote.transport.exec(remote.target(h), { script: samplerReadScript(fileOf(h)) }, { timeoutMs: 30_000, signal: remote.signal });
    const { samples, hostNow } = parseSamplerLog(r.stdout);
    const offset = hostNow === undefined ? 0 : clockOffsetS(hostNow, sent, Date.now());
    const rows: HostSample[] = [];
    for (let i = 1; i < samples.length; i++) {
      const prev = samples[i - 1];
      const cur = samples[i];
      if (prev && cur) rows.push(toHostSample(h.name, cur.t - offset, prev.counters, cur.counters));
    }
    return rows;
  };

  return {
    async stop() {
      loops.abort();
      await Promise.all(running);
      const rows = (await Promise.all(hosts.map((h) => collect(h).catch((e: unknown) => {
        log.debug(`slurm: reading samples of ${h.name} failed: ${(e as Error).message}`);
        return [];
      })))).flat();
      return rows.sort((a, b) => a.t - b.t || a.host.localeCompare(b.host));
    },
  };
}
