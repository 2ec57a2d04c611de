/** `bench [command] [targets] [overrides] [--dry-run] [-j N] [--force TASK] [--keep-going] [--format F] [--help] [--version]`. */
import type { Diagnostic } from '../engine/diagnostic.js';
import { isOverrideArg } from '../engine/config/override-arg.js';

export const COMMANDS = ['run', 'list', 'status', 'explain', 'graph', 'clean', 'gc', 'up', 'down', 'config', 'results', 'runs', 'compare', 'help'] as const;
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
  /** `--help`/`-h` anywhere, or `bench help [COMMAND]`: print help instead of running. */
  help: boolean;
  /** `--version`: print the version instead of running. */
  version: boolean;
  /** Arguments after the command word, for commands that parse their own (`config`, `results`, `help`). */
  rest: string[];
}

/** Options that take a value, as `--name V` or `--name=V`. */
const VALUED = new Set(['-j', '--jobs', '--force', '--format']);

/**
 * Parses argv; every mistake is a diagnostic. No arguments at all means help: running every task
 * of the benchfile (real clusters included) is too costly to be what a bare `bench` does.
 */
export function parseArgs(argv: string[]): { args: CliArgs; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const first = argv[0];
  const command: Command = first && (COMMANDS as readonly string[]).includes(first) ? (first as Command) : 'run';
  const rest = command === 'run' && first !== 'run' ? argv : argv.slice(1);
  const args: CliArgs = {
    command, targets: [], overrides: [], dryRun: false, jobs: undefined, force: [], keepGoing: false, format: 'ascii',
    help: argv.length === 0 || command === 'help', version: false, rest,
  };
  // config and results take their own options; help and version still apply to them.
  const ownOptions = command === 'config' || command === 'results' || command === 'runs' || command === 'compare' || command === 'help';
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (word === '--help' || word === '-h') args.help = true;
    else if (word === '--version') args.version = true;
    else if (ownOptions) continue;
    else if (word.startsWith('-')) {
      const eq = word.indexOf('=');
      const name = eq > 0 && word.startsWith('--') ? word.slice(0, eq) : word;
      if (!VALUED.has(name)) {
        flag(args, word, diagnostics);
        continue;
      }
      const v = eq > 0 && name !== word ? word.slice(eq + 1) : rest[++i];
      if (v === undefined || v === '') diagnostics.push({ severity: 'error', message: `${name} needs a value` });
      else option(args, name, v, diagnostics);
    } else if (isOverrideArg(word)) args.overrides.push(word);
    else args.targets.push(word);
  }
  return { args, diagnostics };
}

function flag(args: CliArgs, word: string, diagnostics: Diagnostic[]): void {
  if (word === '--dry-run' || word === '-n') args.dryRun = true;
  else if (word === '--keep-going' || word === '-k') args.keepGoing = true;
  else if (/^-j\d+$/.test(word)) option(args, '-j', word.slice(2), diagnostics);
  else diagnostics.push({ severity: 'error', message: `unknown option ${word}`, hint: 'bench --help lists the options' });
}

function option(args: CliArgs, name: string, v: string, diagnostics: Diagnostic[]): void {
  if (name === '-j' || name === '--jobs') {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) diagnostics.push({ severity: 'error', message: `${name} expects a positive integer`, expected: 'a positive integer', found: v });
    else args.jobs = n;
  } else if (name === '--force') args.force.push(v);
  else args.format = v;
}
