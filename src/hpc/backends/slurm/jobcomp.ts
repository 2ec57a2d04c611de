/**
 * The jobcomp/filetxt completion log: slurmctld appends one line per finished job,
 *   JobId=4 UserId=root(0) GroupId=root(0) Name=bench-3 JobState=CANCELLED Partition=batch
 *   TimeLimit=1 StartTime=2026-11-29T14:36:39 EndTime=... NodeList=(null) NodeCnt=0 ProcCnt=8
 *   WorkDir=/tmp ReservationName= Tres=cpu=8,... ... SubmitTime=... EligibleTime=...
 *   DerivedExitCode=0:0 ExitCode=0:0
 * (22.05 format, checked against a running slurmctld). Times are the daemon's local time.
 */
import type { JobState } from '../../workload/job.js';
import { slurmTimeToEpoch } from './slurm-time.js';

/** One finished job as slurmctld recorded it; times are epoch seconds (one-second resolution). */
export interface JobcompRecord {
  slurmId: number;
  name: string;
  /** SLURM's state word, e.g. COMPLETED, NODE_FAIL. */
  slurmState: string;
  state: JobState;
  submit: number | undefined;
  /** For a job cancelled while pending, SLURM writes the cancel time as start and end. */
  start: number | undefined;
  end: number | undefined;
  /** `(null)` when the job never ran. */
  nodeList: string;
  nodeCount: number;
  procCount: number;
  exitCode: string;
}

/**
 * bench's four outcomes from SLURM's terminal states: a time-limit kill is `timeout`; a job
 * removed by a user, preemption or deadline is `cancelled`; every other end (FAILED, NODE_FAIL,
 * OUT_OF_MEMORY, BOOT_FAIL...) is `failed`.
 */
export function jobStateFromSlurm(state: string): JobState {
  const word = state.trim().split(/[\s+]/)[0]?.toUpperCase() ?? '';
  switch (word) {
    case 'COMPLETED': return 'completed';
    case 'TIMEOUT': return 'timeout';
    case 'CANCELLED':
    case 'PREEMPTED':
    case 'DEADLINE': return 'cancelled';
    default: return 'failed';
  }
}

/** `Key=value` fields of one line; a value runs to the next ` Key=`, so it may hold blanks. */
export function splitFields(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  const re = /(?:^|\s)([A-Za-z][A-Za-z0-9_]*)=/g;
  const marks: { key: string; at: number; valueAt: number }[] = [];
  for (let m = re.exec(line); m; m = re.exec(line)) marks.push({ key: m[1] as string, at: m.index, valueAt: m.index + m[0].length });
  // Tres=cpu=2,mem=1G has '=' inside its value, but no blank before 'mem', so it is not a key.
  marks.forEach((mark, i) => {
    const next = marks[i + 1];
    fields.set(mark.key, line.slice(mark.valueAt, next ? next.at : line.length).trim());
  });
  return fields;
}

/** One jobcomp line, or undefined when it is not one (blank, truncated by a crash). */
export function parseJobcompLine(line: string, timeZone = 'UTC'): JobcompRecord | undefined {
  const f = splitFields(line.trim());
  const id = Number(f.get('JobId'));
  const slurmState = f.get('JobState');
  if (!Number.isInteger(id) || id <= 0 || !slurmState || !f.has('EndTime')) return undefined;
  const time = (k: string) => slurmTimeToEpoch(f.get(k) ?? '', timeZone);
  return {
    slurmId: id,
    name: f.get('Name') ?? '',
    slurmState,
    state: jobStateFromSlurm(slurmState),
    submit: time('SubmitTime'),
    start: time('StartTime'),
    end: time('EndTime'),
    nodeList: f.get('NodeList') ?? '',
    nodeCount: Number(f.get('NodeCnt') ?? 0) || 0,
    procCount: Number(f.get('ProcCnt') ?? 0) || 0,
    exitCode: f.get('ExitCode') ?? '',
  };
}

/** Every job in the file by SLURM job id; a requeued job's last line wins. */
export function parseJobcomp(text: string, timeZone = 'UTC'): Map<number, JobcompRecord> {
  const out = new Map<number, JobcompRecord>();
  for (const line of text.split('\n')) {
    const r = parseJobcompLine(line, timeZone);
    if (r) out.set(r.slurmId, r);
  }
  return out;
}
