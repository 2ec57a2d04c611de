/**
 * `nginx`: Debian's nginx (`nginx-light`) in the foreground on the node, serving one static file
 * of `body_bytes` bytes at `/`, errors to the job's output. Its config is written by the job from
 * validated numbers only, so no recipe string reaches nginx.conf. Healthy when `/` answers 2xx.
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { shellCommand } from '../../remote/quote.js';
import { defineServiceKind } from '../kind.js';
import { serviceFields } from '../recipe-fields.js';

/** nginx.conf with paths relative to the prefix (the job's scratch dir). */
export function nginxConf(c: { port: number; workers: number }): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path tmp;`);
  return [
    'daemon off;', 'user root;', `worker_processes ${c.workers};`, 'pid nginx.pid;', 'error_log stderr warn;',
    'events { worker_connections 4096; }',
    'http {', '  access_log off;', ...temp,
    `  server { listen ${c.port}; root www; location / { index index.html; } }`, '}', '',
  ].join('\n');
}

/** The image of nginx and of wrk, its recipe's client: one spec, so one image for the pair. */
export const HTTP_IMAGE = { apt: ['nginx-light', 'wrk'] } as const;

export const nginxService = defineServiceKind({
  kind: 'nginx',
  configSchema: closedObject({
    kind: z.literal('nginx'),
    ...serviceFields,
    workers: z.number().int().min(1).max(64),
    body_bytes: z.number().int().nonnegative().max(64 * 1024 * 1024),
  }),
  packages: ['nginx-light', 'curl'],
  image: HTTP_IMAGE,
  renderScript(c) {
    return [
      'mkdir -p www tmp',
      `head -c ${c.body_bytes} /dev/zero | tr '\\0' x > www/index.html`,
      // A quoted delimiter: the shell expands nothing in the config.
      `cat > nginx.conf <<'EOF'\n${nginxConf(c)}EOF`,
      `exec nginx -p "$D/" -c "$D/nginx.conf"${c.args?.length ? ` ${shellCommand(c.args)}` : ''}`,
      '',
    ].join('\n');
  },
  healthCommand(c, endpoint) {
    return ['curl', '-sf', '--max-time', '5', '-o', '/dev/null', `http://${endpoint.address}:${c.port}/`];
  },
});
