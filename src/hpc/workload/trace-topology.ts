/**
 * `topology=from_trace`: the machine a trace ran on, from its SWF header, so a trace study needs
 * no hand-typed machine size. `MaxNodes` nodes (of MaxProcs / MaxNodes cores each when the header
 * gives both, else one core each), or one node of `MaxProcs` cores when only that is given.
 * Applied to each composed point (the trace is the point's `workload.path`); memory is 1 GiB per
 * core, as trace jobs are given (swf.ts).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../../engine/diagnostic.js';

type Conf = Record<string, unknown>;

/** The compute nodes a trace header describes, or a message saying why there are none. */
export function traceMachine(text: string): { count: number; vcpus: number } | string {
  const header = (key: string) => {
    const m = new RegExp(`^;\\s*${key}:\\s*(\\d+)\\s*$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const nodes = header('MaxNodes');
  const procs = header('MaxProcs');
  if (nodes && nodes > 0) return { count: nodes, vcpus: procs && procs % nodes === 0 ? procs / nodes : 1 };
  if (procs && procs > 0) return { count: 1, vcpus: procs };
  return 'the trace header gives neither MaxNodes nor MaxProcs';
}

/** Fills `topology.compute_nodes` of a config whose topology says `from_trace: true`, in place. */
export function resolveTraceTopology(config: Conf, root: string): Diagnostic[] {
  const topology = config['topology'] as Conf | undefined;
  if (!topology || topology['from_trace'] !== true) return [];
  const workload = config['workload'] as Conf | undefined;
  if (workload?.['kind'] !== 'trace' || typeof workload['path'] !== 'string') {
    return [{ severity: 'error', keyPath: 'topology.from_trace', message: 'topology from_trace needs a trace workload', expected: 'workload.kind: trace', found: `workload.kind: ${String(workload?.['kind'])}` }];
  }
  const file = isAbsolute(workload['path']) ? workload['path'] : resolve(root, workload['path']);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [{ severity: 'error', file, keyPath: 'workload.path', message: 'trace file not found (topology from_trace reads its header)' }];
  }
  const m = traceMachine(text);
  if (typeof m === 'string') return [{ severity: 'error', file, keyPath: 'topology.from_trace', message: m, expected: 'a ; MaxNodes: or ; MaxProcs: header line' }];
  const prev = (topology['compute_nodes'] ?? {}) as Conf;
  topology['compute_nodes'] = { ...prev, count: m.count, vcpus: m.vcpus, memory_gib: m.vcpus, gpus: 0 };
  return [];
}
