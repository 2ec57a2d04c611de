/**
 * The image `service:image` builds for a service recipe and its client: one image holding what
 * both kinds declare, when either runs with `runtime: podman`, in the project's podman store.
 */
import { ensureContainerImage, mergeSpecs, type BuiltContainerImage, type ContainerImageSpec, type ImageBuildOptions } from './container-image.js';
import { containerStore } from './container-store.js';
import { runtimeOf } from './kind.js';
import { clientKindFor, serviceKindFor } from './registry.js';

type Recipe = { kind?: unknown; runtime?: unknown } | undefined;

/** The merged spec of the kinds that run in podman, or why there is no image to build. */
export function serviceImageSpec(service: Recipe, client: Recipe): ContainerImageSpec | { none: string } {
  const specs: ContainerImageSpec[] = [];
  const s = typeof service?.kind === 'string' && service.kind !== 'none' ? serviceKindFor(service.kind) : undefined;
  const c = typeof client?.kind === 'string' && client.kind !== 'none' ? clientKindFor(client.kind) : undefined;
  for (const [recipe, kind] of [[service, s], [client, c]] as const) {
    if (!kind || typeof kind === 'string' || !recipe) continue;
    if (runtimeOf(recipe, kind) === 'podman' && kind.image) specs.push(kind.image);
  }
  if (!specs.length) return { none: s || c ? 'service and client run with runtime host' : 'no service chosen' };
  return mergeSpecs(specs);
}

/** Builds (or finds) the image of `spec` in the podman store folder `storeDir`. */
export function buildServiceImage(spec: ContainerImageSpec, storeDir: string, o: ImageBuildOptions): Promise<BuiltContainerImage> {
  return ensureContainerImage(spec, containerStore(storeDir), o);
}
