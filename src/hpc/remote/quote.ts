/**
 * Quoting for the remote shell. sshd hands the command line to the user's login shell as one
 * string, so every argument must be quoted for a POSIX shell to arrive as exactly one word with
 * its bytes unchanged. Single quotes are the only form in which no character is special; a
 * single quote itself is written as `'\''` (close, escaped quote, reopen).
 *
 * Assumes the remote login shell is POSIX (sh, bash, dash, zsh, ash); csh-family shells treat
 * `!` and newlines inside quotes differently.
 */

/** Words made only of these characters mean the same quoted or not; `=`, `~` and `%` are absent on purpose (assignment, tilde expansion, job specs). */
const PLAIN = /^[A-Za-z0-9_./:@+,-]+$/;

/**
 * Quotes one argument for a POSIX shell so that it arrives literally as a single word.
 * Throws on a NUL character: no process argument can carry one, so it could never arrive as given.
 */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('shellQuote: an argument cannot contain a NUL character');
  if (PLAIN.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Quotes each element of `argv` and joins them into one command line. Throws on an empty argv. */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('shellCommand: argv is empty');
  return argv.map(shellQuote).join(' ');
}

/** The command line that runs `script` with `sh -c`, the script passed as one quoted argument. */
export function shellScript(script: string): string {
  return shellCommand(['sh', '-c', script]);
}
