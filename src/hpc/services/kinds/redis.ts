/**
 * `redis`: redis-server (Debian's `redis-server`) in the foreground on the node, no persistence,
 * listening on every address of the node's namespace. Healthy when `redis-cli ping` says PONG.
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { opt } from '../../backends/schema-fields.js';
import { shellCommand } from '../../remote/quote.js';
import { defineServiceKind } from '../kind.js';
import { serviceFields } from '../recipe-fields.js';

/**
 * The image of redis and of its client redis-benchmark (which needs only redis-tools): one spec,
 * so one image is built for the pair and the second image task finds it in the store.
 */
export const REDIS_IMAGE = { apt: ['redis-server', 'redis-tools'] } as const;

export const redisService = defineServiceKind({
  kind: 'redis',
  configSchema: closedObject({
    kind: z.literal('redis'),
    ...serviceFields,
    /** redis-server's `maxmemory`, MiB (0 = no limit). */
    maxmemory_mib: opt(z.number().int().nonnegative()),
  }),
  packages: ['redis-server', 'redis-tools'],
  image: REDIS_IMAGE,
  renderScript(c) {
    const argv = [
      'redis-server', '--port', String(c.port), '--bind', '0.0.0.0', '--protected-mode', 'no',
      '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '', '--dir', '.',
      ...(c.maxmemory_mib ? ['--maxmemory', `${c.maxmemory_mib}mb`] : []),
      ...(c.args ?? []),
    ];
    return `exec ${shellCommand(argv)}\n`;
  },
  healthCommand(c, endpoint) {
    // The answer, not only the exit status: redis-cli exits 0 on some errors (e.g. LOADING).
    return ['sh', '-c', '[ "$(redis-cli -h "$1" -p "$2" ping 2>&1)" = PONG ]', 'sh', endpoint.address, String(c.port)];
  },
});
