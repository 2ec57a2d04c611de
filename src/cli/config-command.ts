/**
 * `bench config show [group] [overrides]` prints the composed config (or one group of it) as YAML;
 * `bench config sweep [overrides]` lists the sweep points with their config hashes and overrides.
 * Returns text and an exit status (2 for config errors); the caller prints and exits.
 */
import { stringify } from 'yaml';
import { composeBenchConfig } from '../hpc/config/compose-bench.js';
import { formatDiagnostic } from '../engine/diagnostic.js';
import { isOverrideArg } from '../engine/config/override-arg.js';
import { describePolicy, presetFor } from '../hpc/sim/presets.js';

const USAGE = [
  'usage: bench config show [group] [overrides...]',
  '       bench config sweep [overrides...]',
  'overrides: key=value  group=option  +key=value  ++key=value  ~key  key=a,b,c  key=choice(a,b)  key=range(0,10,2)  zip(a=1,2;b=x,y)',
  '',
].join('\n');

/** Runs `bench config ...` with `args` after the word `config`. */
export function runConfigCommand(args: string[], root: string): { stdout: string; exitCode: number } {
  const [sub, ...rest] = args;
  if (sub !== 'show' && sub !== 'sweep') {
    const what = sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`;
    return { stdout: `error: ${what}\n${USAGE}`, exitCode: 2 };
  }
  const group = sub === 'show' && rest[0] !== undefined && !isOverrideArg(rest[0]) ? rest[0] : undefined;
  const overrides = group === undefined ? rest : rest.slice(1);
  const { sweep, diagnostics } = composeBenchConfig({ root, overrides });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const n = errors.length;
    return { stdout: `${diagnostics.map(formatDiagnostic).join('\n')}\n${n} config error${n === 1 ? '' : 's'}\n`, exitCode: 2 };
  }
  const warnings = diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
  if (sub === 'sweep') {
    const lines = sweep.points.map((p) => `${p.id}\t${p.configHash.slice(0, 12)}\t${p.overrides.join(' ')}`);
    return { stdout: `${warnings}${lines.join('\n')}\n${sweep.points.length} point${sweep.points.length === 1 ? '' : 's'}\n`, exitCode: 0 };
  }
  if (group === undefined) return { stdout: warnings + stringify(sweep.base), exitCode: 0 };
  if (!(group in sweep.base)) {
    const known = Object.keys(sweep.base).join(', ');
    return { stdout: `error: "${group}" is not a key of the composed config (keys: ${known})\n`, exitCode: 2 };
  }
  const mapping = group === 'scheduler' ? simulatedAs(sweep.base[group]) : '';
  return { stdout: warnings + stringify({ [group]: sweep.base[group] }) + mapping, exitCode: 0 };
}

/** The policy the simulator plays a scheduler config as (presets are mappings onto fcfs/easy/conservative). */
function simulatedAs(scheduler: unknown): string {
  try {
    return `# simulated (provider=sim) as: ${describePolicy(presetFor(scheduler as Record<string, unknown>).policy)}\n`;
  } catch {
    return '';
  }
}
