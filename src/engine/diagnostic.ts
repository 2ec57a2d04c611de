/**
 * A located user mistake (config, benchfile, trace). Collected, never thrown one by one, so the
 * user sees every error at once; only the CLI prints them and chooses the exit status.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Dotted key path, e.g. `scheduler.SchedulerParameters.bf_window`. */
  keyPath?: string;
  expected?: string;
  found?: string;
  /** e.g. `did you mean "bf_window"?` */
  hint?: string;
}

/** Carries diagnostics up to the CLI, which prints them all and exits with status 2. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
  }
}

/** `file:line:col: error: key: message (expected X, found Y) hint` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
  const key = d.keyPath ? `${d.keyPath}: ` : '';
  const wanted = d.expected !== undefined ? ` (expected ${d.expected}${d.found !== undefined ? `, found ${d.found}` : ''})` : '';
  const hint = d.hint ? `; ${d.hint}` : '';
  return `${where}${d.severity}: ${key}${d.message}${wanted}${hint}`;
}
