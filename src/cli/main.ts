/**
 * CLI entry: parses arguments, dispatches commands, prints diagnostics and picks the exit status
 * (0 ok, 1 task failures, 2 user/config errors, 130 interrupted). The only place that exits.
 */
import { formatDiagnostic, type Diagnostic } from '../engine/diagnostic.js';
import { parseArgs } from './parse-args.js';

/** Runs `bench` with the given arguments (without `node` and the script path). */
export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv, process.cwd());
  // Exit explicitly: a timed-out or cancelled task that ignores its AbortSignal must not keep bench
  // alive after the outcome is recorded (stdout/stderr writes are synchronous for files and pipes on Linux).
  process.exit(code);
}

/** Like `main` but returns the exit status; output goes to stdout/stderr. */
export async function runCli(argv: string[], root: string): Promise<number> {
  // Hidden: what a cluster job runs (src/hpc/executor/); not a user command, so not in the help.
  if (argv[0] === 'exec-task') {
    const { execTaskCommand } = await import('./exec-task-command.js');
    return execTaskCommand(argv[1]);
  }
  const { args, diagnostics } = parseArgs(argv);
  if (args.version) {
    const { VERSION } = await import('../version.js');
    process.stdout.write(`bench ${VERSION}\n`);
    return 0;
  }
  if (args.help) {
    const { helpText } = await import('./help.js');
    process.stdout.write(helpText(args.command === 'help' ? args.rest.find((a) => !a.startsWith('-')) : args.command === 'run' && argv[0] !== 'run' ? undefined : args.command));
    return 0;
  }
  if (diagnostics.length) return printDiagnostics(diagnostics);
  try {
    switch (args.command) {
      case 'run': {
        const { runCommand } = await import('./run-command.js');
        return await runCommand(args, root);
      }
      case 'config': {
        const { runConfigCommand } = await import('./config-command.js');
        const r = runConfigCommand(args.rest, root);
        process.stdout.write(r.stdout);
        return r.exitCode;
      }
      case 'results': {
        const { runResultsCommand } = await import('./results-command.js');
        const r = await runResultsCommand(args.rest, root);
        if (r.kind === 'invalid') return printDiagnostics(r.diagnostics);
        process.stdout.write(r.files.map((f) => `${f}\n`).join(''));
        return 0;
      }
      case 'runs':
      case 'compare': {
        const { runsCommand, compareCommand } = await import('./history-command.js');
        const r = args.command === 'runs' ? runsCommand(root) : await compareCommand(args.rest, root);
        if (r.kind === 'invalid') return printDiagnostics(r.diagnostics);
        process.stdout.write(r.stdout);
        return 0;
      }
      case 'up':
      case 'down': {
        const { upCommand, downCommand } = await import('./session-command.js');
        return await (args.command === 'up' ? upCommand(args, root) : downCommand(args, root));
      }
      case 'status': {
        const [{ infoCommand }, { statusResources }] = await Promise.all([import('./info-commands.js'), import('./session-command.js')]);
        const code = await infoCommand(args, root);
        return code === 0 ? await statusResources(args, root) : code;
      }
      case 'clean':
      case 'gc': {
        const { cleanCommand } = await import('./clean-command.js');
        return await cleanCommand(args, root);
      }
      default: {
        const { infoCommand } = await import('./info-commands.js');
        return await infoCommand(args, root);
      }
    }
  } catch (e) {
    const { DiagnosticError } = await import('../engine/diagnostic.js');
    if (e instanceof DiagnosticError) return printDiagnostics(e.diagnostics);
    if (await recoveredCorruptCache(e, root)) return runCli(argv, root);
    if ((e as { code?: string }).code === 'SQLITE_BUSY') {
      // A bench process stopped (or hung) inside a write keeps the database locked past the busy timeout.
      process.stderr.write('error: the cache database stayed locked by another process for 10 s; bench status names the processes using this cache (a stopped or hung one must be ended first)\n');
      return 1;
    }
    throw e;
  }
}

let recoveredOnce = false;

/** A damaged cache database: say so in one sentence, move it aside, rebuild its index; true to retry once. */
async function recoveredCorruptCache(e: unknown, root: string): Promise<boolean> {
  const { isCorruption, recoverCorruptStore } = await import('../engine/cache/open-store.js');
  if (recoveredOnce || !isCorruption(e)) return false;
  recoveredOnce = true;
  const { BlobStore } = await import('../engine/cache/blob-store.js');
  const { join } = await import('node:path');
  const cacheDir = join(root, 'cache');
  process.stderr.write(`warning: ${recoverCorruptStore(cacheDir, new BlobStore(cacheDir), e)}\n`);
  return true;
}

/** Prints every diagnostic; returns 2 when any is an error. */
export function printDiagnostics(diagnostics: Diagnostic[]): number {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  return diagnostics.some((d) => d.severity === 'error') ? 2 : 0;
}
