/**
 * `service:image`: the container image the service recipe and its client run in (runtime
 * podman), built with mmdebstrap from the kinds' declared packages and imported into the
 * project's podman store (cache/podman). Content-addressed: the image is named by the digest of
 * its spec, so equal specs share one image and a built one is never rebuilt.
 */
import { defineTask } from 'bench';
import { join } from 'node:path';
import { TaskError, writeJson } from './io.js';

export const serviceImage = defineTask({
  kind: 'artifact',
  name: 'service:image',
  version: 1,
  description: 'Build the container image of the service and client kinds (mmdebstrap + podman import)',
  // Only what decides the image: the kinds and whether they run in a container.
  reads: ['service.kind', 'service.runtime', 'client.kind', 'client.runtime'],
  uses: { cpus: 1, memoryMiB: 1024 },
  timeoutMs: 30 * 60_000,
  async run(ctx) {
    const { buildServiceImage, serviceImageSpec, ImageBuildError } = await import('bench/services');
    const service = { kind: ctx.config['service.kind'], runtime: ctx.config['service.runtime'] };
    const client = { kind: ctx.config['client.kind'], runtime: ctx.config['client.runtime'] };
    const spec = serviceImageSpec(service, client);
    if ('none' in spec) {
      await writeJson(ctx.outDir, 'image.json', { image: 'none', reason: spec.none });
      return;
    }
    try {
      const image = await buildServiceImage(spec, join(ctx.projectRoot, 'cache', 'podman'), { signal: ctx.signal, log: ctx.log });
      if (image.cached) ctx.log.info(`image ${image.ref} reused from cache/podman`);
      await writeJson(ctx.outDir, 'image.json', image);
    } catch (e) {
      if (e instanceof ImageBuildError) throw new TaskError(e.message);
      throw e;
    }
  },
});
