/**
 * `wrk` (Debian's `wrk`): HTTP load for `duration_s` seconds over `concurrency` connections. wrk
 * keeps every latency but hands a script only the whole run's statistics, so its `client.arrow`
 * has one row for the run: granularity `aggregate` (latency percentiles as wrk computed them,
 * errors = connect + read + write + timeout + non-2xx/3xx). Bounded by `duration_s`, and by
 * `timeout_s` for the whole job.
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { shellCommand } from '../../remote/quote.js';
import type { ClientRow } from '../client-row.js';
import { defineClientKind } from '../kind.js';
import { clientFields } from '../recipe-fields.js';
import { HTTP_IMAGE } from './nginx.js';

const MARK = 'BENCH-WRK';

/** A wrk script whose `done` prints the run's statistics as one JSON line (numbers only). */
const REPORT_LUA = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${MARK} {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"mean_us":%.1f,"max_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`;

export const wrkClient = defineClientKind({
  kind: 'wrk',
  configSchema: closedObject({
    kind: z.literal('wrk'),
    ...clientFields,
    duration_s: z.number().int().min(1).max(3600),
    /** wrk threads; at most `concurrency` are used (wrk needs a connection per thread). */
    threads: z.number().int().min(1).max(256),
    /** The request path, starting with `/`. */
    path: z.string().regex(/^\/[^\s]*$/, 'a URL path starting with / and without blanks'),
  }),
  packages: ['wrk'],
  // nginx's image (wrk is in it): one build serves the recipe pair.
  image: HTTP_IMAGE,
  granularity: 'aggregate',
  renderScript(c, endpoint) {
    const argv = ['timeout', String(c.timeout_s), 'wrk', '-t', String(Math.min(c.threads, c.concurrency)), '-c', String(c.concurrency),
      '-d', `${c.duration_s}s`, '--timeout', '10s', '-s', 'report.lua', `http://${endpoint.address}:${endpoint.port}${c.path}`];
    return [
      'set -e', `cat > report.lua <<'EOF'\n${REPORT_LUA}EOF`,
      `echo "BENCH-START $(date +%s.%N)"`, shellCommand(argv), '',
    ].join('\n');
  },
  parseOutput(output) {
    return parseWrk(output);
  },
});

/** The run's row from the start marker and the JSON line the report script printed. */
export function parseWrk(output: string): ClientRow[] | string {
  const start = /^BENCH-START (\d+(?:\.\d+)?)$/m.exec(output);
  const line = new RegExp(`^${MARK} (\\{.*\\})$`, 'm').exec(output);
  if (!start || !line) return 'wrk printed no statistics (no report line)';
  let s: Record<string, number>;
  try {
    s = JSON.parse(line[1] ?? '') as Record<string, number>;
  } catch {
    return `wrk printed an unreadable report line: ${line[1] ?? ''}`;
  }
  const n = (k: string) => Number(s[k] ?? NaN);
  const errors = n('connect') + n('read') + n('write') + n('timeout') + n('status');
  const t0 = Number(start[1]);
  const ms = (k: string) => n(k) / 1000;
  if (!Number.isFinite(errors) || !(n('duration_us') > 0)) return `wrk's report line lacks a field: ${line[1] ?? ''}`;
  return [{
    granularity: 'aggregate', op: 'GET', status: errors ? 'errors' : 'ok', tStart: t0, tEnd: t0 + n('duration_us') / 1e6,
    requests: n('requests'), errors, latencyMeanMs: ms('mean_us'), latencyP50Ms: ms('p50_us'), latencyP95Ms: ms('p95_us'),
    latencyP99Ms: ms('p99_us'), latencyMaxMs: ms('max_us'),
  }];
}
