/** One point of a sweep: a fully composed, resolved config plus how it was obtained. */
export interface SweepPoint {
  /** Stable readable id, e.g. `medium-slurm-mixed-r0`. */
  id: string;
  /** Repetition index; part of the id and of `repeats: true` task fingerprints. */
  rep: number;
  /** Resolved config (interpolations done, validated). */
  config: Record<string, unknown>;
  /** The overrides that produced this point (command line plus sweep choices). */
  overrides: string[];
  /** sha256 of the canonical JSON of `config` without `rep`. */
  configHash: string;
}

/** The composed config: the base (sweep-independent) config and the expanded points. */
export interface ComposedSweep {
  base: Record<string, unknown>;
  points: SweepPoint[];
}
