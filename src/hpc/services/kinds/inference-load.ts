/**
 * `inference` client: a load generator of ours (inference/loadgen.py, Python standard library
 * only) against an Ollama-shaped embedding endpoint. `concurrency` workers on keep-alive
 * connections send a seeded mix of requests (short and long texts, several inputs per request,
 * by weight) until `requests` are sent or `duration_s` has passed; one row of `client.arrow` per
 * request (granularity `request`), with its status and the client's clock at start and end.
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { shellCommand, shellQuote } from '../../remote/quote.js';
import type { ClientRow } from '../client-row.js';
import { defineClientKind } from '../kind.js';
import { clientFields, recipeName } from '../recipe-fields.js';
import { modelName } from './inference.js';
import { nodePath, writeSourceCommand } from './inference-sources.js';

const mixEntry = closedObject({
  /** The row's `op`, e.g. `short`. */
  name: recipeName,
  weight: z.number().positive(),
  /** Words per text (a word is about one token). */
  words: z.number().int().min(1).max(2000),
  /** Texts per request. */
  inputs: z.number().int().min(1).max(4096),
});

export const inferenceClient = defineClientKind({
  kind: 'inference',
  configSchema: closedObject({
    kind: z.literal('inference'),
    ...clientFields,
    model: modelName,
    /** At most this many requests, and for at most `duration_s`, whichever ends first. */
    requests: z.number().int().min(1).max(10_000_000),
    duration_s: z.number().positive().max(24 * 3600),
    seed: z.number().int().nonnegative(),
    mix: z.array(mixEntry).min(1),
    /** Python 3 on the node (standard library only); `~/` is the job user's home. */
    python: z.string().min(1).regex(/^[^\0\n]+$/, 'a path or command name without newlines'),
  }),
  packages: ['python3'],
  image: { apt: ['python3'] },
  granularity: 'request',
  renderScript(c, endpoint) {
    const argv = [endpoint.address, String(endpoint.port), c.model, String(c.concurrency), String(c.requests), String(c.duration_s), String(c.seed), JSON.stringify(c.mix)];
    return [
      'set -e',
      writeSourceCommand('loadgen.py'),
      `exec timeout ${shellQuote(String(c.timeout_s))} ${(c.runtime ?? 'podman') === 'podman' ? 'python3' : nodePath(c.python, shellQuote)} loadgen.py ${shellCommand(argv)}`,
      '',
    ].join('\n');
  },
  parseOutput(output) {
    return parseLoadgen(output);
  },
});

/** One row per `BENCH-REQ` line; the `BENCH-DONE n` count must match, or the output was cut. */
export function parseLoadgen(output: string): ClientRow[] | string {
  const rows: ClientRow[] = [];
  for (const line of output.split('\n')) {
    const m = /^BENCH-REQ (\S+) (\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (!m) continue;
    const [, op = '', status = '', t0s = '', t1s = ''] = m;
    const t0 = Number(t0s), t1 = Number(t1s);
    const ms = (t1 - t0) * 1000;
    const ok = status === 'ok';
    rows.push({ granularity: 'request', op, status, tStart: t0, tEnd: t1, requests: 1, errors: ok ? 0 : 1, latencyMeanMs: ms, latencyP50Ms: ms, latencyP95Ms: ms, latencyP99Ms: ms, latencyMaxMs: ms });
  }
  const done = /^BENCH-DONE (\d+)$/m.exec(output);
  if (!done) return `the load generator did not finish (no BENCH-DONE line; ${rows.length} request lines)`;
  if (Number(done[1]) !== rows.length) return `the load generator reported ${done[1]} requests but printed ${rows.length}`;
  return rows.length ? rows : 'the load generator sent no request (duration_s too short?)';
}
