/**
 * Reads the `objectives` config key into `Objective`s, reporting every mistake as a located
 * diagnostic (key path; the config loader adds file and line from the key path).
 */
import { z } from 'zod';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { DEFAULT_OBJECTIVES, type Objective } from './rank-points.js';

const objectiveSchema = z.object({ metric: z.string().min(1), direction: z.enum(['min', 'max']) }).strict();

/**
 * `value` is the raw `objectives` config value (undefined means the defaults). `knownMetrics`,
 * when given, turns a misspelt metric into an error naming the metrics that exist.
 */
export function parseObjectives(
  value: unknown,
  knownMetrics?: readonly string[],
): { objectives: Objective[]; diagnostics: Diagnostic[] } {
  if (value === undefined) return { objectives: [...DEFAULT_OBJECTIVES], diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  if (!Array.isArray(value) || value.length === 0) {
    diagnostics.push({ severity: 'error', keyPath: 'objectives', message: 'must be a non-empty list', expected: 'a list of { metric, direction: min | max }', found: JSON.stringify(value) });
    return { objectives: [], diagnostics };
  }
  const objectives: Objective[] = [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const parsed = objectiveSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        diagnostics.push({ severity: 'error', keyPath: ['objectives', i, ...issue.path.map(String)].join('.'), message: issue.message });
      }
      return;
    }
    const o = parsed.data;
    if (knownMetrics && !knownMetrics.includes(o.metric)) {
      diagnostics.push({ severity: 'error', keyPath: `objectives.${i}.metric`, message: 'unknown metric', expected: knownMetrics.join(', '), found: o.metric });
    } else if (seen.has(o.metric)) {
      diagnostics.push({ severity: 'error', keyPath: `objectives.${i}.metric`, message: `${o.metric} is listed twice` });
    } else objectives.push(o);
    seen.add(o.metric);
  });
  return { objectives, diagnostics };
}
