// A module of its own so the CLI can sort its arguments without loading the YAML parser.

/**
 * Whether a command-line word is an override rather than a task target: `~key`, `+key=v`,
 * `++key=v`, `zip(...)` or `key=value`. Every command that takes overrides asks this one rule, so
 * they all accept the same grammar; a malformed override is then reported by `parseOverrides`.
 * Targets (`test:run`, `'test:run[db=postgres]'`) never start with `~`, `+` or `zip(`,
 * and their `=` comes after a `:` or `[`.
 */
export function isOverrideArg(arg: string): boolean {
  return arg.startsWith('~') || arg.startsWith('+') || arg.startsWith('zip(') || /^[\w.-]+=/.test(arg);
}
