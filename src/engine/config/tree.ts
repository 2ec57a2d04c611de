/** Plain-object helpers for dotted key paths. Arrays are values: merging replaces them whole. */

export type ConfigObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is ConfigObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge `src` into `dst` (mutates `dst`); later values win, objects merge key by key. */
export function deepMerge(dst: ConfigObject, src: ConfigObject): ConfigObject {
  for (const [k, v] of Object.entries(src)) {
    const cur = dst[k];
    if (isPlainObject(cur) && isPlainObject(v)) deepMerge(cur, v);
    else dst[k] = structuredClone(v);
  }
  return dst;
}

export function getPath(obj: unknown, path: string): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (isPlainObject(cur) && Object.hasOwn(cur, part)) cur = cur[part];
    else if (Array.isArray(cur) && /^\d+$/.test(part) && Number(part) < cur.length) cur = cur[Number(part)];
    else return { found: false, value: undefined };
  }
  return { found: true, value: cur };
}

/** Sets a value, creating intermediate objects. */
export function setPath(obj: ConfigObject, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: ConfigObject = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (!isPlainObject(next)) cur[part] = {};
    cur = cur[part] as ConfigObject;
  }
  cur[parts[parts.length - 1] as string] = value;
}

export function deletePath(obj: ConfigObject, path: string): boolean {
  const parts = path.split('.');
  const parent = getPath(obj, parts.slice(0, -1).join('.'));
  const holder = parts.length === 1 ? obj : parent.value;
  const last = parts[parts.length - 1] as string;
  if (!isPlainObject(holder) || !Object.hasOwn(holder, last)) return false;
  delete holder[last];
  return true;
}

/** Every leaf key path of a value (objects descend, arrays and scalars are leaves). */
export function leafPaths(obj: unknown, prefix = ''): string[] {
  if (!isPlainObject(obj)) return prefix ? [prefix] : [];
  return Object.entries(obj).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}
