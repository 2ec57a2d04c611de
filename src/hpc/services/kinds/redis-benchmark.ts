/**
 * `redis-benchmark` (Debian's `redis-tools`): one run per test, `--csv`. It reports only
 * per-test summaries (rate and latency percentiles), so each row of `client.arrow` is one test:
 * granularity `aggregate`. Its interval starts when the test starts (a marker the script prints)
 * and lasts requests / rate. redis-benchmark reports no per-request errors: a failed test fails
 * the client job. Bounded by `requests` per test and by `timeout_s` for the whole job.
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { shellCommand } from '../../remote/quote.js';
import type { ClientRow } from '../client-row.js';
import { defineClientKind } from '../kind.js';
import { clientFields } from '../recipe-fields.js';
import { REDIS_IMAGE } from './redis.js';

/** redis-benchmark's test names (`-t`). */
export const REDIS_TESTS = ['ping_inline', 'ping_mbulk', 'set', 'get', 'incr', 'lpush', 'rpush', 'lpop', 'rpop', 'sadd', 'hset', 'spop', 'zadd', 'zpopmin', 'lrange_100', 'mset'] as const;

const MARK = 'BENCH-TEST';

export const redisBenchmarkClient = defineClientKind({
  kind: 'redis-benchmark',
  configSchema: closedObject({
    kind: z.literal('redis-benchmark'),
    ...clientFields,
    /** Requests per test. */
    requests: z.number().int().min(1).max(10_000_000),
    tests: z.array(z.enum(REDIS_TESTS)).min(1),
    /** Value size of SET/GET, bytes. */
    data_size: z.number().int().min(1).max(1024 * 1024),
  }),
  packages: ['redis-tools'],
  // redis's own image (redis-tools is in it): one build serves the pair.
  image: REDIS_IMAGE,
  granularity: 'aggregate',
  renderScript(c, endpoint) {
    const lines = ['set -e'];
    for (const t of c.tests) {
      const argv = ['timeout', String(c.timeout_s), 'redis-benchmark', '-h', endpoint.address, '-p', String(endpoint.port),
        '-c', String(c.concurrency), '-n', String(c.requests), '-d', String(c.data_size), '-t', t, '--csv'];
      lines.push(`echo "${MARK} ${t} $(date +%s.%N)"`, shellCommand(argv));
    }
    return `${lines.join('\n')}\n`;
  },
  parseOutput(output, c) {
    return parseRedisBenchmark(output, c.requests);
  },
});

/** Rows from the script's output: a marker line with each test's start, then its CSV. */
export function parseRedisBenchmark(output: string, requests: number): ClientRow[] | string {
  const rows: ClientRow[] = [];
  let start: number | undefined;
  for (const line of output.split('\n')) {
    const mark = new RegExp(`^${MARK} \\S+ (\\d+(?:\\.\\d+)?)$`).exec(line.trim());
    if (mark) {
      start = Number(mark[1]);
      continue;
    }
    const cells = line.trim().split(',').map((s) => s.replace(/^"|"$/g, ''));
    if (cells.length !== 8 || cells[0] === 'test' || start === undefined) continue;
    const [op, rps, avg, , p50, p95, p99, max] = cells.map((s, i) => (i === 0 ? s : Number(s))) as [string, ...number[]];
    if (![rps, avg, p50, p95, p99, max].every((v) => Number.isFinite(v)) || !(Number(rps) > 0)) return `redis-benchmark printed an unreadable line: ${line}`;
    rows.push({
      granularity: 'aggregate', op, status: 'ok', tStart: start, tEnd: start + requests / Number(rps), requests, errors: 0,
      latencyMeanMs: Number(avg), latencyP50Ms: Number(p50), latencyP95Ms: Number(p95), latencyP99Ms: Number(p99), latencyMaxMs: Number(max),
    });
  }
  return rows.length ? rows : 'redis-benchmark printed no results';
}
