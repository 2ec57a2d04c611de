/**
 * Takes the `executor` group out of a composed sweep. Where a task runs must not change what it
 * computes, so the group is removed from every point (config, choices, overrides and hash)
 * before the graph is built: no task can read it, every fingerprint and every `configHash` in
 * the result tables is the one a local run has, and outputs are cached across executors.
 */
import type { ComposedSweep } from '../../engine/config/sweep-point.js';
import type { Diagnostic } from '../../engine/diagnostic.js';
import { canonicalJson } from '../../engine/hash/canonical-json.js';
import { hashConfig } from '../../engine/config/point-id.js';
import type { ExecutorConfig } from './executor-schema.js';

/** The run's executor (local when the sweep names none) and the sweep without it. */
export function takeExecutorConfig(sweep: ComposedSweep): { executor: ExecutorConfig; sweep: ComposedSweep; diagnostics: Diagnostic[] } {
  const found = new Map<string, ExecutorConfig>();
  const points = sweep.points.map((p) => {
    const { executor, ...config } = p.config as { executor?: ExecutorConfig } & Record<string, unknown>;
    if (executor) found.set(canonicalJson(executor), executor);
    const { executor: _choice, ...choices } = p.choices;
    const overrides = p.overrides.filter((o) => !/^[+~]*executor[.=]/.test(o));
    return { ...p, config, choices, overrides, configHash: hashConfig(config) };
  });
  const { executor: baseExecutor, ...base } = sweep.base as { executor?: ExecutorConfig } & Record<string, unknown>;
  const diagnostics: Diagnostic[] = found.size > 1
    ? [{ severity: 'error', message: 'one run has one executor: the sweep gives it several values', keyPath: 'executor', expected: 'a single executor for the whole sweep', found: `${found.size} different executor configs` }]
    : [];
  const executor = [...found.values()][0] ?? baseExecutor ?? { kind: 'local' as const };
  if (executor.kind === 'slurm' && executor.provider === 'ssh' && !Array.isArray(executor.hosts)) {
    // Said before anything runs, rather than as a failure of every remote task.
    diagnostics.push({ severity: 'error', message: 'an existing cluster is reached at its login node', keyPath: 'executor.hosts', expected: 'a list of login node addresses, e.g. [login.example.org]', found: String(executor.hosts) });
  }
  return { executor, sweep: { ...sweep, base, points }, diagnostics };
}
