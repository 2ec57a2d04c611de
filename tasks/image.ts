/** `image:build`: the VM image a libvirt cluster boots; content-addressed and shared by every point using it. */
import { defineTask } from 'bench';
import { join } from 'node:path';
import { TaskError, writeJson } from './io.js';

/** Image manifest written for points whose provider boots no image. */
export interface NoImage { builder: 'none'; reason: string }

export const imageBuild = defineTask({
  kind: 'artifact',
  name: 'image:build',
  version: 1,
  description: 'Build the VM image (Debian with mmdebstrap, or NixOS with nix build)',
  // provider.kind is read because only libvirt boots an image; other providers record "none".
  reads: ['image', 'provider.kind'],
  uses: { cpus: 1, memoryMiB: 1024 },
  timeoutMs: 30 * 60_000,
  async run(ctx) {
    const provider = ctx.config['provider.kind'];
    const image = ctx.config.image;
    if (provider !== 'libvirt' || !image || image.builder === 'none') {
      const reason = provider !== 'libvirt' ? `provider ${String(provider)} boots no image` : 'image builder none';
      await writeJson(ctx.outDir, 'image.json', { builder: 'none', reason } satisfies NoImage);
      return;
    }
    const { buildImage } = await import('bench/image');
    const result = await buildImage(image, { cacheDir: join(ctx.projectRoot, 'cache', 'images'), signal: ctx.signal, log: ctx.log });
    if (result.kind === 'failed') throw new TaskError(result.message);
    ctx.log.info(result.image.cached ? `image ${result.image.digest} reused from cache/images` : `image ${result.image.digest} built`);
    await writeJson(ctx.outDir, 'image.json', result.image);
  },
});
