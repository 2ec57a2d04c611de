/**
 * Runs remote-capable artifact tasks as SLURM jobs. Per attempt it writes a job directory (the
 * task's spec and its dependencies' outputs), queues it (job arrays, `job-queue.ts`), and when the
 * job has ended takes the outputs back into the attempt's `outDir` after checking each against
 * the digests the job reported. The engine then commits them exactly as a local run's: this
 * process stays the only writer of the cache. The cluster comes up and the project is staged on
 * the first remote task, so a run with nothing remote to do costs nothing.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, TaskContext } from '../../engine/graph/task-def.js';
import type { Task } from '../../engine/graph/task-graph.js';
import { failureOf, type AttemptInfo, type Executor, type TaskRun } from '../../engine/runner/executor.js';
import type { SlurmExecutorConfig } from './executor-schema.js';
import { openExecutionCluster, type ExecutionCluster } from './execution-cluster.js';
import type { JobFiles } from './job-files.js';
import { JobQueue, type JobEnd } from './job-queue.js';
import { ownerAlive } from '../backends/owner.js';
import { stageOverSftp } from './stage-over-sftp.js';
import { stageProject, type StagedProject } from './stage-project.js';
import { digestTree, JOB_FILES, manifestMismatches, type OutputManifest, type SpecDep, type TaskSpec } from './task-spec.js';

interface Session {
  cluster: ExecutionCluster;
  staged: StagedProject;
  queue: JobQueue;
}

export interface SlurmExecutorOptions {
  config: SlurmExecutorConfig;
  projectRoot: string;
  cacheDir: string;
  /** Cluster bring-up, staging and teardown messages. */
  log: Logger;
  signal: AbortSignal;
}

/** Whether a task may run on the cluster: an artifact whose def says `remote` for its config slice. */
export function isRemoteCapable(task: Task): boolean {
  if (task.def.kind !== 'artifact') return false;
  const r = task.def.remote;
  return typeof r === 'function' ? r(task.config) : r === true;
}

export class SlurmExecutor implements Executor {
  readonly capacity: number;
  private session: Promise<Session> | undefined;
  /** Where the time went, for the summary line at the end of the run (ms). */
  private readonly times = { bringUp: 0, staging: 0, prepare: 0, collect: 0, inSlurm: [] as number[] };

  constructor(private readonly o: SlurmExecutorOptions) {
    this.capacity = o.config.max_in_flight ?? 64;
  }

  async run(task: Task, ctx: TaskContext, timeoutMs: number | undefined, info?: AttemptInfo): Promise<TaskRun> {
    let s: Session;
    try {
      s = await this.open();
    } catch (e) {
      const f = failureOf(e, 'resource-failed');
      return { ...f, reason: 'resource-failed', error: `SLURM executor: ${f.error}` };
    }
    const digest = info?.digest ?? randomBytes(16).toString('hex');
    const files = s.cluster.files;
    const dir = join(files.localRoot, 'jobs', digest);
    const t0 = Date.now();
    const left = s.cluster.adopted ? await leftByKilledRun(dir, files) : undefined;
    if (left) ctx.log.info(`adopted SLURM job ${left.slurmId} of a killed run (${left.kind === 'exited' ? 'finished' : 'still running'})`);
    else writeJobDir(dir, { task, ctx, staged: s.staged, info });
    this.times.prepare += Date.now() - t0;
    const cpus = Math.min(Math.max(1, Math.ceil(task.def.uses?.cpus ?? 1)), this.o.config.host_cpus ?? 2);
    const minutes = timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(timeoutMs / 60_000));
    const mem = task.def.uses?.memoryMiB;
    const req = { dir, digest, cpus, minutes, memoryMiB: mem === undefined ? undefined : Math.max(1, Math.ceil(mem)) };
    const t1 = Date.now();
    let end = left?.kind === 'exited' ? left : await s.queue.submit(req, ctx.signal, left?.slurmId);
    if (left?.kind === 'running' && end.kind === 'lost') {
      // It did not survive its coordinator after all: run the task afresh.
      writeJobDir(dir, { task, ctx, staged: s.staged, info });
      end = await s.queue.submit(req, ctx.signal);
    }
    const t2 = Date.now();
    this.times.inSlurm.push(t2 - t1);
    if (end.kind === 'exited' || end.kind === 'lost') {
      // A lost job may have left its stderr; a failure to fetch it must not hide how it ended.
      await files.pull(dir).catch((e: unknown) => {
        if (end.kind === 'exited') throw e;
      });
    }
    const run = collect(dir, end, ctx);
    this.times.collect += Date.now() - t2;
    if (run.kind === 'ok') await files.remove(dir);
    return run;
  }

  /** Cancels what is still queued and takes the cluster down; the run's last step. */
  async close(): Promise<void> {
    const s = await this.session?.catch(() => undefined);
    if (!s) return;
    await s.queue.close();
    this.o.log.info(this.summary(s.queue.stats, s.cluster.files));
    await s.cluster.close();
  }

  /** One line: tasks, arrays, and the coordinator's cost per task by phase. */
  private summary(q: JobQueue['stats'], files: JobFiles): string {
    const t = this.times;
    const n = Math.max(1, q.tasks);
    const per = (ms: number): string => `${(ms / n).toFixed(1)} ms`;
    const sorted = [...t.inSlurm].sort((a, b) => a - b);
    const median = sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) / 1000 : 0;
    return `${q.tasks} tasks in ${q.arrays} job arrays; cluster up ${(t.bringUp / 1000).toFixed(1)} s, staging ${(t.staging / 1000).toFixed(1)} s; ` +
      `per task: job dir ${per(t.prepare)}, sbatch ${per(q.sbatchMs)}, collection ${per(t.collect)}; submitted to ended ${median.toFixed(1)} s (median); ` +
      `files ${files.kind}: sending ${per(q.pushMs)}, exit polls ${(q.pollMs / 1000).toFixed(1)} s${files.kind === 'sftp' ? `, ${mib(files.bytes.up)} up, ${mib(files.bytes.down)} down` : ''}; ` +
      `${q.elements} array elements (one process each)`;
  }

  private open(): Promise<Session> {
    this.session ??= (async () => {
      const o = this.o;
      o.log.info(`bringing up the SLURM execution cluster (${o.config.provider}, ${String(o.config.hosts)} compute hosts)`);
      const up = Date.now();
      const cluster = await openExecutionCluster(o.config, { cacheDir: o.cacheDir, log: o.log, signal: o.signal });
      this.times.bringUp = Date.now() - up;
      try {
        const t0 = Date.now();
        const staged = cluster.files.kind === 'shared'
          ? await stageProject({ projectRoot: o.projectRoot, cacheDir: o.cacheDir, remoteDir: cluster.files.localRoot })
          : await stageOverSftp({ projectRoot: o.projectRoot, cacheDir: o.cacheDir, remote: cluster.remote, remoteDir: cluster.files.clusterRoot, log: o.log });
        this.times.staging = Date.now() - t0;
        o.log.info(`project ${staged.copied ? 'staged' : 'already staged'} at ${staged.project} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        const queue = new JobQueue({
          remote: cluster.remote, files: cluster.files, bench: [cluster.node, join(staged.lib, 'bin', 'bench.js')], batchDir: join(cluster.files.localRoot, 'batches'),
          partition: o.config.partition, account: o.config.account, arrayMax: o.config.array_max ?? 100, arrayWindowMs: o.config.array_window_ms ?? 200,
          batchMax: o.config.batch_max ?? 8, log: o.log,
        });
        return { cluster, staged, queue };
      } catch (e) {
        await cluster.close();
        throw e;
      }
    })();
    return this.session;
  }
}

/**
 * What a killed coordinator left in `dir` for this same fingerprint: a job that finished with its
 * manifest, or one SLURM was given (whether it still runs is the queue's to find out). A failed
 * job, or a directory never submitted, is cleared so the task runs afresh.
 */
async function leftByKilledRun(dir: string, files: JobFiles): Promise<{ kind: 'exited'; code: number; host: string; slurmId: string } | { kind: 'running'; slurmId: string } | undefined> {
  const owner = Number(readText(join(dir, JOB_FILES.owner)));
  const slurmId = readText(join(dir, JOB_FILES.slurmId)).trim();
  if (!owner || owner === process.pid || ownerAlive(owner) || !slurmId) return undefined;
  const exit = (await files.exits([dir])).get(dir);
  const ended = exit ? { kind: 'exited' as const, ...exit, slurmId } : undefined;
  // Finished: its outputs are collected (and checked against its manifest) like any job's.
  if (ended?.code === 0) return ended;
  if (!ended) {
    writeFileSync(join(dir, JOB_FILES.owner), String(process.pid));
    return { kind: 'running', slurmId };
  }
  return undefined;
}

/** The job directory (cleared first): the spec, and each artifact dependency's output copied beside it. */
function writeJobDir(dir: string, o: { task: Task; ctx: TaskContext; staged: StagedProject; info: AttemptInfo | undefined }): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, JOB_FILES.deps), { recursive: true });
  writeFileSync(join(dir, JOB_FILES.owner), String(process.pid));
  let n = 0;
  const deps: Record<string, SpecDep[]> = {};
  for (const [name, list] of Object.entries(o.ctx.deps)) {
    deps[name] = list.map((d) => {
      let rel = '';
      if (d.dir) {
        rel = `${JOB_FILES.deps}/${n++}`;
        cpSync(d.dir, join(dir, rel), { recursive: true });
      }
      return { taskId: d.taskId, pointIds: d.pointIds, rep: d.rep, dir: rel, ...(d.handle !== undefined ? { handle: d.handle } : {}) };
    });
  }
  const spec: TaskSpec = {
    format: 1, taskName: o.task.name, taskId: o.task.id, projectRoot: o.staged.project, bundle: o.staged.bundle,
    config: o.ctx.config, points: o.ctx.points, rep: o.ctx.rep, deps,
    fingerprint: o.info ? { digest: o.info.digest, record: o.info.fingerprintJson } : undefined,
  };
  writeFileSync(join(dir, JOB_FILES.spec), JSON.stringify(spec));
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The last `n` lines of a file, for a failure message. */
function tail(file: string, n = 30): string {
  return readText(file).trimEnd().split('\n').slice(-n).join('\n');
}

/** The job's log lines, replayed into the task's log as if it had run here. */
function replayLog(dir: string, log: Logger): void {
  for (const line of readText(join(dir, JOB_FILES.log)).split('\n')) {
    if (!line) continue;
    const { level, message } = JSON.parse(line) as { level: 'info' | 'warn' | 'debug'; message: string };
    log[level](message);
  }
}

/** Turns a job's end into the attempt's outcome; on success its outputs are in `ctx.outDir`, checked. */
function collect(dir: string, end: JobEnd, ctx: TaskContext): TaskRun {
  switch (end.kind) {
    case 'cancelled':
      return { kind: 'failed', reason: 'cancelled', error: 'cancelled' };
    case 'rejected':
      return { kind: 'failed', reason: 'task-error', error: end.message };
    case 'lost': {
      const stderr = tail(join(dir, JOB_FILES.stderr));
      const reason = end.state === 'TIMEOUT' ? 'timed-out' : 'task-error';
      return { kind: 'failed', reason, error: `SLURM job ${end.slurmId} ended ${end.state} without finishing the task${stderr ? ` (remote stderr:\n${stderr})` : ''}` };
    }
    case 'exited':
      break;
  }
  replayLog(dir, ctx.log);
  const where = `SLURM job ${end.slurmId} on ${end.host}`;
  if (end.code !== 0 || !existsSync(join(dir, JOB_FILES.manifest))) {
    const thrown = readText(join(dir, JOB_FILES.error));
    const error = thrown ? (JSON.parse(thrown) as { message: string; name: string }) : undefined;
    const stderr = tail(join(dir, JOB_FILES.stderr));
    return {
      kind: 'failed', reason: 'exit-non-zero', ...(error ? { errorKind: error.name } : {}),
      error: `${error?.message.split('\n')[0] ?? `exit ${end.code}`} (${where}, exit ${end.code}; remote stderr:\n${stderr || '(empty)'})`,
    };
  }
  const manifest = JSON.parse(readFileSync(join(dir, JOB_FILES.manifest), 'utf8')) as OutputManifest;
  cpSync(join(dir, JOB_FILES.out), ctx.outDir, { recursive: true });
  const problems = manifestMismatches(manifest.files, digestTree(ctx.outDir));
  if (problems.length) return { kind: 'failed', reason: 'task-error', error: `outputs of ${where} differ from its manifest: ${problems.slice(0, 5).join('; ')}` };
  return { kind: 'ok' };
}
