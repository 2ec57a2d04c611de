/**
 * Scheduler-level metrics during a run: the Prometheus endpoints of the scheduler in use
 * (vc-scheduler or kube-scheduler) and of the API server, scraped every interval into one row of
 * series per scrape. Counters become per-interval values (attempts in the interval, mean latency
 * over the interval from the histogram's sum and count deltas), gauges are taken as they are.
 */
import { probe } from './control-plane.js';
import type { KubeApi } from './kube-api.js';

/** Sum of every sample of `name` (all label sets), from Prometheus text format; undefined when absent. */
export function promSum(text: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(rest.slice(rest[0] === '{' ? rest.lastIndexOf('}') + 1 : 0).trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

/**
 * Metric names per scheduler: attempts counter, end-to-end latency histogram (unit → ms), pending
 * gauge. Volcano schedules in sessions; its `volcano_schedule_attempts_total` is declared but
 * never incremented in v1.14.1, so its attempts are the sessions (the e2e histogram's count), and
 * its pending gauge is the gang plugin's count of tasks not yet ready. kube-scheduler counts
 * attempts per pod and reports pending pods per internal queue.
 */
const NAMES = {
  volcano: { attempts: 'volcano_e2e_scheduling_latency_milliseconds_count', latency: 'volcano_e2e_scheduling_latency_milliseconds', latencyToMs: 1, pending: 'volcano_unschedule_task_count' },
  default: { attempts: 'scheduler_schedule_attempts_total', latency: 'scheduler_scheduling_attempt_duration_seconds', latencyToMs: 1000, pending: 'scheduler_pending_pods' },
} as const;

/** One row per scrape; epoch seconds in `t` until the run moves them onto the workload clock. */
export type SchedulerSeries = {
  t: number[];
  schedule_attempts: number[];
  scheduling_latency_ms: number[];
  pending_pods: number[];
  apiserver_requests: number[];
  apiserver_latency_ms: number[];
};

type Totals = { attempts: number; latSum: number; latCount: number; apiSum: number; apiCount: number };

/** Scrapes every `intervalMs` until `stop()`; returns the series. */
export function startScraper(api: KubeApi, o: { mode: 'volcano' | 'default'; schedulerUrl: string; intervalMs: number }): { stop(): Promise<SchedulerSeries> } {
  const n = NAMES[o.mode];
  const series: SchedulerSeries = { t: [], schedule_attempts: [], scheduling_latency_ms: [], pending_pods: [], apiserver_requests: [], apiserver_latency_ms: [] };
  let last: Totals | undefined;
  let stopped = false;
  const once = async () => {
    const [s, a] = await Promise.all([probe(o.schedulerUrl), api.call('GET', '/metrics')]);
    if (s.status !== 200 || a.status !== 200) return;
    const now: Totals = {
      attempts: promSum(s.text, n.attempts) ?? 0,
      latSum: (promSum(s.text, `${n.latency}_sum`) ?? 0) * n.latencyToMs, latCount: promSum(s.text, `${n.latency}_count`) ?? 0,
      apiSum: (promSum(a.text, 'apiserver_request_duration_seconds_sum') ?? 0) * 1000, apiCount: promSum(a.text, 'apiserver_request_duration_seconds_count') ?? 0,
    };
    if (last) {
      const d = (k: keyof Totals) => now[k] - (last as Totals)[k];
      series.t.push(Date.now() / 1000);
      series.schedule_attempts.push(d('attempts'));
      series.scheduling_latency_ms.push(d('latCount') > 0 ? d('latSum') / d('latCount') : Number.NaN);
      series.pending_pods.push(promSum(s.text, n.pending) ?? 0);
      series.apiserver_requests.push(d('apiCount'));
      series.apiserver_latency_ms.push(d('apiCount') > 0 ? d('apiSum') / d('apiCount') : Number.NaN);
    }
    last = now;
  };
  const loop = (async () => {
    while (!stopped) {
      const began = Date.now();
      await once().catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.max(0, o.intervalMs - (Date.now() - began))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await once().catch(() => undefined);
      return series;
    },
  };
}
