/**
 * What passes between the coordinator and a job: the job directory's layout, the task spec the
 * coordinator writes, and the output manifest the job writes last. Plain JSON and files, so the
 * directory can sit on a shared filesystem or be copied over SFTP.
 *
 * ```
 * <job dir>/spec.json      TaskSpec (coordinator)
 * <job dir>/deps/<n>/      each dependency's committed output (coordinator)
 * <job dir>/out/           the task's outputs (job)
 * <job dir>/log.ndjson     the task's log lines (job)
 * <job dir>/error.json     what the task threw (job, on failure)
 * <job dir>/manifest.json  OutputManifest, written last by rename: the job's commit marker
 * <job dir>/stdout|stderr  the job's own streams (batch script)
 * <job dir>/exit           "<exit status> <host>" (batch script, after the job ended)
 * <job dir>/owner          PID of the coordinator that wrote it; <job dir>/slurm-id once submitted
 * <job dir>/results.tar    over SFTP: out/, manifest, log, error and stderr packed (batch script)
 * ```
 *
 * The directory is named by the attempt's fingerprint digest, so a coordinator started after a
 * kill -9 finds the jobs its predecessor submitted.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepPoint } from '../../engine/config/sweep-point.js';

/** One dependency as the job sees it: `dir` is relative to the job directory. */
export interface SpecDep {
  taskId: string;
  pointIds: string[];
  rep: number | undefined;
  dir: string;
  handle?: unknown;
}

export interface TaskSpec {
  format: 1;
  taskName: string;
  taskId: string;
  /** The staged project on the cluster (the task's `projectRoot`). */
  projectRoot: string;
  /** The benchfile bundle to import, absolute on the cluster. */
  bundle: string;
  config: Record<string, unknown>;
  points: SweepPoint[];
  rep: number | undefined;
  deps: Record<string, SpecDep[]>;
  /** The fingerprint record and its digest, so a job directory says what it computes. */
  fingerprint: { digest: string; record: string } | undefined;
}

/** Relative path → sha256 of each output file, as the job computed them. */
export interface OutputManifest {
  format: 1;
  files: Record<string, string>;
}

export const JOB_FILES = {
  spec: 'spec.json', deps: 'deps', out: 'out', log: 'log.ndjson', error: 'error.json', manifest: 'manifest.json', stdout: 'stdout', stderr: 'stderr', exit: 'exit',
  /** PID of the coordinator that prepared the directory, and the SLURM id it got (`<array>_<index>`). */
  owner: 'owner', slurmId: 'slurm-id',
  /** Over SFTP: what the coordinator takes back, packed by the job before it writes `exit`. */
  results: 'results.tar',
} as const;

/** What a job leaves that the coordinator takes back (its inputs stay where they are). */
export const RESULT_FILES = [JOB_FILES.out, JOB_FILES.manifest, JOB_FILES.log, JOB_FILES.error, JOB_FILES.stderr];

/** sha256 of every file under `dir`, by path relative to it (forward slashes). */
export function digestTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out[rel] = createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex');
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Differences between what the job reported and what arrived; empty when they agree. */
export function manifestMismatches(reported: Record<string, string>, arrived: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [f, d] of Object.entries(reported)) {
    if (!(f in arrived)) problems.push(`${f}: missing`);
    else if (arrived[f] !== d) problems.push(`${f}: digest ${String(arrived[f]).slice(0, 12)} != reported ${d.slice(0, 12)}`);
  }
  for (const f of Object.keys(arrived)) if (!(f in reported)) problems.push(`${f}: not in the manifest`);
  return problems;
}
