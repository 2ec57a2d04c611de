/**
 * `service:image` and `client:image`: the container image the service recipe (or the client
 * recipe) runs in with runtime podman, built with mmdebstrap from its kind's declared packages and
 * imported into the project's podman store (cache/podman). Content-addressed: an image is named by
 * the digest of its spec, so equal specs share one image (redis and redis-benchmark declare the
 * same one) and a built one is never rebuilt. Apart per role so that a client change does not make
 * a new service instance (a kept service stays the one a later client run uses).
 */
import { defineTask } from 'bench';
import { join } from 'node:path';
import { TaskError, writeJson } from './io.js';

function imageTask(role: 'service' | 'client') {
  return defineTask({
    kind: 'artifact',
    name: `${role}:image`,
    version: 1,
    description: `Build the container image of the ${role} kind (mmdebstrap + podman import)`,
    // Only what decides the image: the kind and whether it runs in a container.
    reads: [`${role}.kind`, `${role}.runtime`],
    uses: { cpus: 1, memoryMiB: 1024 },
    timeoutMs: 30 * 60_000,
    async run(ctx) {
      const { buildServiceImage, imageSpecFor, ImageBuildError } = await import('bench/services');
      const spec = imageSpecFor(role, { kind: ctx.config[`${role}.kind`], runtime: ctx.config[`${role}.runtime`] });
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
}

export const serviceImage = imageTask('service');
export const clientImage = imageTask('client');
