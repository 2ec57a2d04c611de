/**
 * Builds the project's VM image (conf/image/debian.yaml) into cache/images before the tests run,
 * printing progress, with no test-hook time limit: a cold mmdebstrap build takes minutes on a
 * loaded 2-core machine, and the VM tests then find it cached. Exits 0 when it is already built.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildImage } from '../src/hpc/image/build-image.js';
import type { ImageConfig } from '../src/hpc/image/image-fingerprint.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (level: string) => (msg: string) => process.stderr.write(`[vm-image] ${level === 'info' ? '' : `${level}: `}${msg}\n`);
const log = { info: say('info'), warn: say('warning'), debug: () => undefined };
const config = parse(readFileSync(join(root, 'conf/image/debian.yaml'), 'utf8')) as ImageConfig;
const started = Date.now();
const r = await buildImage(config, { cacheDir: join(root, 'cache/images'), log });
if (r.kind !== 'built') {
  process.stderr.write(`[vm-image] failed (${r.reason}): ${r.message}\n`);
  process.exit(1);
}
process.stderr.write(`[vm-image] ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
