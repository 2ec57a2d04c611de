/** `bench [command] [targets] [key=value ...] [--dry-run] [-j N] [--force TASK] [--keep-going] [--format F]`. */
import type { Diagnostic } from '../engine/diagnostic.js';

export const COMMANDS = ['run', 'list', 'status', 'explain', 'graph', 'clean', 'gc', 'config', 'results'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  command: Command;
  targets: string[];
  overrides: string[];
  dryRun: boolean;
  jobs: number | undefined;
  force: string[];
  keepGoing: boolean;
  format: string;
  rest: string[];
}

/** Parses argv; every mistake is a diagnostic. */
export function parseArgs(argv: string[]): { args: CliArgs; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const first = argv[0];
  const command: Command = first && (COMMANDS as readonly string[]).includes(first) ? (first as Command) : 'run';
  const rest = command === 'run' && first !== 'run' ? argv : argv.slice(1);
  const args: CliArgs = { command, targets: [], overrides: [], dryRun: false, jobs: undefined, force: [], keepGoing: false, format: 'ascii', rest };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const value = (): string | undefined => {
      const v = rest[++i];
      if (v === undefined) diagnostics.push({ severity: 'error', message: `${a} needs a value` });
      return v;
    };
    if (a === '--dry-run' || a === '-n') args.dryRun = true;
    else if (a === '--keep-going' || a === '-k') args.keepGoing = true;
    else if (a === '-j' || a === '--jobs') {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) diagnostics.push({ severity: 'error', message: '-j expects a positive integer', found: String(rest[i]) });
      else args.jobs = v;
    } else if (a.startsWith('-j') && /^-j\d+$/.test(a)) args.jobs = Number(a.slice(2));
    else if (a === '--force') {
      const v = value();
      if (v) args.force.push(v);
    } else if (a === '--format') args.format = value() ?? 'ascii';
    else if (a.startsWith('--format=')) args.format = a.slice(9);
    else if (a.startsWith('-') && command !== 'config' && command !== 'results') diagnostics.push({ severity: 'error', message: `unknown option ${a}` });
    else if (/^[+~]?[\w.-]+=/.test(a)) args.overrides.push(a);
    else args.targets.push(a);
  }
  return { args, diagnostics };
}
