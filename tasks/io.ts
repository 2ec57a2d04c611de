/** Small file helpers shared by the domain tasks. */
import type { SweepPoint, TaskContext } from 'bench';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await writeFile(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
}

export async function readJson<T>(dir: string, name: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, name), 'utf8')) as T;
}

/** The one dependency output of a per-point task; a bug in the benchfile if it is missing. */
export function onlyDep<T extends { dir: string; handle?: unknown }>(deps: Record<string, T[]>, name: string): T {
  const dep = deps[name]?.[0];
  if (!dep) throw new Error(`missing dependency ${name}`);
  return dep;
}

/** A task failure a user can act on: the message is shown as it is, without a stack. */
export class TaskError extends Error {
  override name = 'TaskError';
}

export function failUnless<T>(value: T | string): T {
  if (typeof value === 'string') throw new TaskError(value);
  return value;
}

/** Each sweep point's per-repetition metrics (metrics.json of every `metrics` dependency), grouped by point config. */
export async function metricsByPoint(ctx: Pick<TaskContext, 'points' | 'deps'>): Promise<{ point: SweepPoint; runs: Record<string, number>[] }[]> {
  const pointById = new Map(ctx.points.map((p) => [p.id, p]));
  const byHash = new Map<string, { point: SweepPoint; runs: Record<string, number>[] }>();
  for (const dep of ctx.deps['metrics'] ?? []) {
    const point = pointById.get(dep.pointIds[0] ?? '');
    if (!point) continue;
    const entry = byHash.get(point.configHash) ?? { point, runs: [] };
    entry.runs.push(await readJson<Record<string, number>>(dep.dir, 'metrics.json'));
    byHash.set(point.configHash, entry);
  }
  return [...byHash.values()];
}
