/**
 * `volcano-scheduler.conf` from `scheduler.volcano`: the actions line and the tiers of plugins with
 * their switches and arguments, as Volcano's `SchedulerConfiguration` reads them. Values the file
 * cannot carry to Volcano are refused by key: Volcano's YAML decoder drops unknown keys and its
 * actions line is split on commas, so such a value would silently change nothing.
 */
import { stringify } from 'yaml';
import { VOLCANO_ACTIONS, VOLCANO_PLUGINS, VOLCANO_PLUGIN_SWITCHES } from './config-schema.js';
import type { KeyProblem } from './manifests.js';

/** The `volcano` key of the scheduler group. */
export interface VolcanoConfig {
  actions: readonly string[];
  tiers: ReadonlyArray<{ plugins: ReadonlyArray<Record<string, unknown>> }>;
  queues?: ReadonlyArray<Record<string, unknown>>;
}

function argumentProblem(v: unknown): string | undefined {
  if (typeof v === 'string') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : 'a non-finite number';
  if (typeof v === 'boolean') return undefined;
  if (Array.isArray(v)) return v.map(argumentProblem).find((p) => p !== undefined);
  if (v && typeof v === 'object') return Object.values(v).map(argumentProblem).find((p) => p !== undefined);
  return `a ${v === null ? 'null' : typeof v}`;
}

function pluginProblems(p: Record<string, unknown>, at: string): KeyProblem[] {
  const out: KeyProblem[] = [];
  const switches: readonly string[] = VOLCANO_PLUGIN_SWITCHES;
  for (const [k, v] of Object.entries(p)) {
    if (k === 'name') {
      if (!(VOLCANO_PLUGINS as readonly unknown[]).includes(v)) out.push({ key: `${at}.name`, message: `expected one of ${VOLCANO_PLUGINS.join(', ')}, found ${JSON.stringify(v)}` });
    } else if (k === 'arguments') {
      const why = v && typeof v === 'object' && !Array.isArray(v) ? argumentProblem(v) : 'not a map';
      if (why) out.push({ key: `${at}.arguments`, message: `expected a map of strings, numbers, booleans, lists and maps; found ${why}` });
    } else if (switches.includes(k)) {
      if (typeof v !== 'boolean') out.push({ key: `${at}.${k}`, message: `expected true or false, found ${JSON.stringify(v)}` });
    } else {
      out.push({ key: `${at}.${k}`, message: `Volcano's plugin options have no key "${k}" (expected name, arguments or one of ${switches.join(', ')})` });
    }
  }
  return out;
}

/** Problems with `scheduler.volcano`, by key; empty when the file can say all of it. */
export function volcanoConfProblems(v: VolcanoConfig): KeyProblem[] {
  const out: KeyProblem[] = [];
  if (!v.actions.length) out.push({ key: 'scheduler.volcano.actions', message: 'expected at least one action' });
  v.actions.forEach((a, i) => {
    if (!(VOLCANO_ACTIONS as readonly string[]).includes(a)) out.push({ key: `scheduler.volcano.actions[${i}]`, message: `expected one of ${VOLCANO_ACTIONS.join(', ')}, found ${JSON.stringify(a)}` });
  });
  v.tiers.forEach((t, i) => t.plugins.forEach((p, j) => out.push(...pluginProblems(p, `scheduler.volcano.tiers[${i}].plugins[${j}]`))));
  return out;
}

/** Actions and plugins the Volcano build registers (v1.14.1: pkg/scheduler/actions/factory.go, plugins/factory.go). */
export const VOLCANO_BUILT = {
  version: 'v1.14.1',
  actions: ['reclaim', 'allocate', 'backfill', 'preempt', 'enqueue', 'shuffle'],
  plugins: [
    'drf', 'gang', 'deviceshare', 'predicates', 'priority', 'nodeorder', 'conformance', 'binpack', 'resource-strategy-fit', 'tdm', 'overcommit', 'sla',
    'task-topology', 'numa-aware', 'cdp', 'rescheduling', 'usage', 'pdb', 'nodegroup', 'network-topology-aware', 'proportion', 'capacity', 'extender', 'resourcequota',
  ],
} as const;

/**
 * Names the config may hold (the simulator reads them) that the Volcano bench runs does not
 * have: an unknown action makes it refuse the file, an unknown plugin is skipped at every
 * session with only a log line, so a real run would not be what the config says.
 */
export function volcanoBuildProblems(v: VolcanoConfig): KeyProblem[] {
  const out: KeyProblem[] = [];
  const actions: readonly string[] = VOLCANO_BUILT.actions;
  const plugins: readonly string[] = VOLCANO_BUILT.plugins;
  v.actions.forEach((a, i) => {
    if (!actions.includes(a)) out.push({ key: `scheduler.volcano.actions[${i}]`, message: `Volcano ${VOLCANO_BUILT.version} has no action "${a}" (it has ${actions.join(', ')})` });
  });
  v.tiers.forEach((t, i) => t.plugins.forEach((p, j) => {
    const name = String(p['name']);
    if (!plugins.includes(name)) out.push({ key: `scheduler.volcano.tiers[${i}].plugins[${j}].name`, message: `Volcano ${VOLCANO_BUILT.version} has no plugin "${name}"${name === 'numaaware' ? ' (it is called numa-aware there)' : ''}` });
  }));
  return out;
}

/** The file's text; throws (a config bug) when `volcanoConfProblems` has anything to say. */
export function renderVolcanoConf(v: VolcanoConfig): string {
  const problems = volcanoConfProblems(v);
  if (problems.length) throw new Error(problems.map((p) => `${p.key}: ${p.message}`).join('\n'));
  return `# Rendered by bench from scheduler.volcano.\n${stringify({ actions: v.actions.join(', '), tiers: v.tiers.map((t) => ({ plugins: t.plugins })) })}`;
}
