/**
 * The images `service:image` and `client:image` build: a recipe's kind's declared image, when the
 * recipe runs with `runtime: podman`, in the project's podman store.
 */
import { ensureContainerImage, mergeSpecs, type BuiltContainerImage, type ContainerImageSpec, type ImageBuildOptions } from './container-image.js';
import { containerStore } from './container-store.js';
import { runtimeOf } from './kind.js';
import { clientKindFor, serviceKindFor } from './registry.js';

/** The spec of the recipe's image, or why there is none to build. */
export function imageSpecFor(role: 'service' | 'client', recipe: { kind?: unknown; runtime?: unknown }): ContainerImageSpec | { none: string } {
  if (typeof recipe.kind !== 'string' || recipe.kind === 'none') return { none: `no ${role} chosen` };
  const kind = role === 'service' ? serviceKindFor(recipe.kind) : clientKindFor(recipe.kind);
  if (typeof kind === 'string') return { none: kind };
  if (runtimeOf(recipe, kind) !== 'podman' || !kind.image) return { none: `${role} ${recipe.kind} runs with runtime host` };
  return mergeSpecs([kind.image]);
}

/** Builds (or finds) the image of `spec` in the podman store folder `storeDir`. */
export function buildServiceImage(spec: ContainerImageSpec, storeDir: string, o: ImageBuildOptions): Promise<BuiltContainerImage> {
  return ensureContainerImage(spec, containerStore(storeDir), o);
}
