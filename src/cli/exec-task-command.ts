/**
 * `bench exec-task <job dir>/spec.json` (hidden): what a cluster job runs. Executes one task from
 * its spec and the dependency outputs beside it, writes the outputs, the log and — last, by
 * rename — the manifest of output digests. It opens no cache database: the coordinator that
 * wrote the spec is the only writer, and commits the outputs once it has checked the manifest.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchfile, DepOutput, Logger, TaskContext } from '../engine/graph/task-def.js';
import { digestTree, JOB_FILES, type OutputManifest, type TaskSpec } from '../hpc/executor/task-spec.js';

/** Runs the spec's task; returns the exit status (0 done, 1 the task failed, 2 a bad spec). */
export async function execTaskCommand(specPath: string | undefined): Promise<number> {
  if (!specPath) {
    process.stderr.write('usage: bench exec-task <job dir>/spec.json\n');
    return 2;
  }
  const jobDir = dirname(specPath);
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as TaskSpec;
  const mod = (await import(pathToFileURL(spec.bundle).href)) as { default?: Benchfile };
  const def = mod.default?.tasks.find((t) => t.name === spec.taskName);
  if (!def || def.kind !== 'artifact') {
    process.stderr.write(`error: the staged benchfile has no artifact task ${spec.taskName}\n`);
    return 2;
  }
  const outDir = join(jobDir, JOB_FILES.out);
  mkdirSync(outDir, { recursive: true });
  const logFile = join(jobDir, JOB_FILES.log);
  const line = (level: string) => (message: string): void => appendFileSync(logFile, `${JSON.stringify({ level, message })}\n`);
  const log: Logger = { info: line('info'), warn: line('warn'), debug: line('debug') };
  const deps: Record<string, DepOutput[]> = {};
  for (const [name, list] of Object.entries(spec.deps)) deps[name] = list.map((d) => ({ ...d, dir: d.dir ? join(jobDir, d.dir) : '' }));
  // scancel and SLURM's time limit send SIGTERM: the task sees an abort, as a local one would.
  const ctrl = new AbortController();
  process.once('SIGTERM', () => ctrl.abort(new Error('terminated')));
  const ctx: TaskContext = { signal: ctrl.signal, outDir, log, projectRoot: spec.projectRoot, config: spec.config, points: spec.points, rep: spec.rep, deps };
  try {
    await def.run(ctx);
  } catch (e) {
    const err = e instanceof Error ? { message: e.message, name: e.name, stack: e.stack } : { message: String(e), name: 'Error' };
    writeFileSync(join(jobDir, JOB_FILES.error), JSON.stringify(err));
    process.stderr.write(`${err.name === 'TaskError' ? err.message : (err.stack ?? err.message)}\n`);
    return 1;
  }
  const manifest: OutputManifest = { format: 1, files: digestTree(outDir) };
  const tmp = join(jobDir, `${JOB_FILES.manifest}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, join(jobDir, JOB_FILES.manifest));
  return 0;
}
