/**
 * `bench exec-task <job dir>/spec.json` (hidden): what a cluster job runs. Executes one task from
 * its spec and the dependency outputs beside it, writes the outputs, the log and — last, by
 * rename — the manifest of output digests. It opens no cache database: the coordinator that
 * wrote the spec is the only writer, and commits the outputs once it has checked the manifest.
 *
 * `bench exec-task <batch dir>/el-<n>.list`: one job array element running several tasks in
 * this one process, in order (one Node start-up and one load of `bench` and the benchfile for
 * all of them). Each job directory on the list gets what a job of its own would: its outputs,
 * log, manifest, its own stderr, with BENCH_EXEC_PACK=1 its results.tar, and — as soon as that
 * task is done, so the coordinator collects it without waiting for the rest — its `exit`. A
 * directory that already has `exit` is skipped: the element was requeued (its node was lost)
 * after that task ended, and the coordinator may already have taken its outputs.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchfile, DepOutput, Logger, TaskContext } from '../engine/graph/task-def.js';
import { digestTree, JOB_FILES, RESULT_FILES, type OutputManifest, type TaskSpec } from '../hpc/executor/task-spec.js';

/** Runs the spec's task (or each on a `.list`); returns the exit status (0 done, 1 the task failed, 2 a bad spec). */
export async function execTaskCommand(specPath: string | undefined): Promise<number> {
  if (!specPath) {
    process.stderr.write('usage: bench exec-task <job dir>/spec.json | <batch dir>/el-<n>.list\n');
    return 2;
  }
  // scancel and SLURM's time limit send SIGTERM: the task sees an abort, as a local one would.
  const ctrl = new AbortController();
  process.once('SIGTERM', () => ctrl.abort(new Error('terminated')));
  if (!specPath.endsWith('.list')) return runSpec(specPath, ctrl.signal, (s) => process.stderr.write(s));
  return runList(specPath, ctrl.signal, process.env.BENCH_EXEC_PACK === '1');
}

/**
 * Each job directory on the list in turn. What a task writes to stderr goes to its own directory's
 * `stderr`, so a failure shows that task's stderr, not its neighbours'. After a SIGTERM the rest
 * are left without `exit`; the batch script gives them the element's status.
 */
async function runList(listFile: string, signal: AbortSignal, pack: boolean): Promise<number> {
  const dirs = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  // What this process has finished, in the batch directory: once a task has its exit file the
  // coordinator may collect and delete its job directory, so the batch script must not look there.
  const done = (d: string): void => appendFileSync(`${listFile}.done`, `${d}\n`);
  let worst = 0;
  for (const d of dirs) {
    if (signal.aborted) return 1;
    if (existsSync(join(d, JOB_FILES.exit))) {
      done(d);
      continue;
    }
    for (const f of [JOB_FILES.out, JOB_FILES.log, JOB_FILES.error, JOB_FILES.manifest, JOB_FILES.results, JOB_FILES.stderr]) rmSync(join(d, f), { recursive: true, force: true });
    const stderrFile = join(d, JOB_FILES.stderr);
    writeFileSync(stderrFile, '');
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      appendFileSync(stderrFile, chunk);
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runSpec(join(d, JOB_FILES.spec), signal, (s) => appendFileSync(stderrFile, s));
    } catch (e) {
      appendFileSync(stderrFile, `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = 2;
    } finally {
      process.stderr.write = write;
    }
    if (signal.aborted) return 1;
    if (pack) packResults(d);
    done(d);
    const tmp = join(d, `${JOB_FILES.exit}.tmp`);
    writeFileSync(tmp, `${code} ${hostname()}\n`);
    renameSync(tmp, join(d, JOB_FILES.exit));
    worst = Math.max(worst, code);
  }
  return worst;
}

/** What the coordinator takes back over SFTP, as one tar, before `exit` says the task is done. */
function packResults(dir: string): void {
  const present = RESULT_FILES.filter((f) => existsSync(join(dir, f)));
  const r = spawnSync('tar', ['-cf', `${JOB_FILES.results}.tmp`, ...present], { cwd: dir });
  if (r.status === 0) renameSync(join(dir, `${JOB_FILES.results}.tmp`), join(dir, JOB_FILES.results));
}

async function runSpec(specPath: string, signal: AbortSignal, stderr: (s: string) => void): Promise<number> {
  const jobDir = dirname(specPath);
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as TaskSpec;
  const mod = (await import(pathToFileURL(spec.bundle).href)) as { default?: Benchfile };
  const def = mod.default?.tasks.find((t) => t.name === spec.taskName);
  if (!def || def.kind !== 'artifact') {
    stderr(`error: the staged benchfile has no artifact task ${spec.taskName}\n`);
    return 2;
  }
  const outDir = join(jobDir, JOB_FILES.out);
  mkdirSync(outDir, { recursive: true });
  const logFile = join(jobDir, JOB_FILES.log);
  const line = (level: string) => (message: string): void => appendFileSync(logFile, `${JSON.stringify({ level, message })}\n`);
  const log: Logger = { info: line('info'), warn: line('warn'), debug: line('debug') };
  const deps: Record<string, DepOutput[]> = {};
  for (const [name, list] of Object.entries(spec.deps)) deps[name] = list.map((d) => ({ ...d, dir: d.dir ? join(jobDir, d.dir) : '' }));
  const ctx: TaskContext = { signal, outDir, log, projectRoot: spec.projectRoot, config: spec.config, points: spec.points, rep: spec.rep, deps };
  try {
    await def.run(ctx);
  } catch (e) {
    const err = e instanceof Error ? { message: e.message, name: e.name, stack: e.stack } : { message: String(e), name: 'Error' };
    writeFileSync(join(jobDir, JOB_FILES.error), JSON.stringify(err));
    stderr(`${err.name === 'TaskError' ? err.message : (err.stack ?? err.message)}\n`);
    return 1;
  }
  const manifest: OutputManifest = { format: 1, files: digestTree(outDir) };
  const tmp = join(jobDir, `${JOB_FILES.manifest}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, join(jobDir, JOB_FILES.manifest));
  return 0;
}
