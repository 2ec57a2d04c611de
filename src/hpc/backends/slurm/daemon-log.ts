/**
 * Reading the daemons' own words: the error lines of slurmctld/slurmd logs and start-up stderr,
 * without the noise every start produces here, and the config keys a rejection is about.
 */

/** Lines every start logs on these hosts that say nothing about the configuration. */
const NOISE = [
  /mpi\/pmix|MPI: Cannot create context|PMIx library/,
  /Could not open (node|job|reservation|trigger) state file/,
  /NOTE: Trying backup state save file/,
  /appears to have a different slurm\.conf/,
];

/** `error:` and `fatal:` lines, noise left out, at most `max` of the last ones. */
export function errorLines(text: string, max = 20): string[] {
  return text.split('\n')
    .filter((l) => /\b(error|fatal):/.test(l) && !NOISE.some((n) => n.test(l)))
    .map((l) => l.trim())
    .slice(-max);
}

/** Configuration slurmctld accepted but will not use (`... can only be used with SlurmDBD, ignoring`). */
export function ignoredSettings(text: string): string[] {
  return errorLines(text, 1000).filter((l) => /ignor/i.test(l) && !/fatal:/.test(l)).map((l) => l.replace(/^\[[^\]]*\]\s*/, ''));
}

/**
 * The config keys a set of daemon error lines is about: the key of an `unrecognized key`
 * message, and every key whose name or (distinctive) value appears in a line. SchedulerParameters
 * options count as that key.
 */
export function keysNamedIn(lines: readonly string[], config: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const text = lines.join('\n');
  const lower = text.toLowerCase();
  for (const m of text.matchAll(/unrecognized key:\s*(\S+)/gi)) {
    const key = m[1] as string;
    found.add(Object.keys(config).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key);
  }
  for (const [key, value] of Object.entries(config)) {
    if (key === 'kind' || value === null || value === undefined) continue;
    if (new RegExp(`\\b${key}\\b`, 'i').test(text)) found.add(key);
    const values = typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [k, `${k}=${String(v)}`])
      : [String(value)];
    // Short values ("1", "NO") appear in any line; only distinctive ones identify the key.
    if (values.some((v) => v.length >= 4 && /[a-z/_]/i.test(v) && lower.includes(v.toLowerCase()))) found.add(key);
  }
  return [...found];
}

/** One message for a start that failed: the keys SLURM rejected (if any), then the daemons' lines. */
export function rejectionMessage(what: string, sections: { source: string; lines: string[] }[], config: Record<string, unknown>): string {
  // Settings slurmctld ignores are not why it stopped; they would only blur the culprit.
  const keys = keysNamedIn(sections.flatMap((s) => s.lines).filter((l) => !/ignor/i.test(l)), config);
  const head = keys.length
    ? `${what}: SLURM rejected ${keys.map((k) => `scheduler.${k}${typeof config[k] === 'object' || config[k] === undefined ? '' : ` (${String(config[k])})`}`).join(', ')}`
    : what;
  const body = sections.filter((s) => s.lines.length).map((s) => `${s.source}:\n  ${s.lines.join('\n  ')}`).join('\n');
  return body ? `${head}\n${body}` : head;
}
