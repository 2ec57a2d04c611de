/** One point of a sweep: a fully composed, resolved config plus how it was obtained. */
export interface SweepPoint {
  /** Stable readable id, e.g. `large-postgres-r0`. */
  id: string;
  /** Repetition index; part of the id and of `repeats: true` task fingerprints. */
  rep: number;
  /** Resolved config (interpolations done, validated). */
  config: Record<string, unknown>;
  /** The overrides that produced this point (command line plus sweep choices), to reproduce it. */
  overrides: string[];
  /**
   * The option chosen for every config group at this point (group -> option), whether it came from
   * the defaults list, an experiment, the command line or the sweep: what the point is, as data.
   */
  choices: Record<string, string>;
  /** The values the sweep gave to plain keys (not groups) at this point, by key path. */
  swept: Record<string, unknown>;
  /**
   * What the id names, part by part, with the config key each part stands for (a group or a swept
   * key path): task instances that read only some of those keys are labelled by those parts.
   */
  idParts?: { key: string; text: string }[];
  /** sha256 of the canonical JSON of `config` without `rep`. */
  configHash: string;
}

/** The composed config: the base (sweep-independent) config and the expanded points. */
export interface ComposedSweep {
  base: Record<string, unknown>;
  points: SweepPoint[];
}
