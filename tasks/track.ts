/**
 * `track:mlflow`: mirrors the sweep into an MLflow tracking server (tracking=mlflow): one parent
 * run for the sweep with the report, one child run per sweep point repetition. MLflow is a view:
 * the cache stays the source of truth, so an unreachable server skips tracking (the run still
 * succeeds, says why, and the next run exports what is missing) unless `tracking.required`.
 */
import type { ArtifactTaskDef, DepOutput, SweepPoint, TaskContext } from 'bench';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TaskError, writeJson } from './io.js';

type TrackingConfig = import('bench/tracking').TrackingConfig;
type ExportResult = import('bench/tracking').ExportResult;

/**
 * A skipped export leaves a marker here. The task declares the folder as input, so the marker
 * changes its fingerprint and the next run exports again (reason: input-changed) instead of
 * treating the skipped export as done.
 */
const PENDING_DIR = 'cache/tracking-pending';

export const trackMlflow: ArtifactTaskDef = {
  kind: 'artifact',
  name: 'track:mlflow',
  version: 1,
  description: 'Log the sweep to MLflow: a parent run with the report, a child run per point repetition',
  needs: ['workload:run', 'metrics', 'report:pareto'],
  reads: ['tracking'],
  // Follows the report as an extra target whenever the config turns tracking on.
  joins: { target: 'report:pareto', when: (config) => (config['tracking'] as { kind?: string } | undefined)?.kind === 'mlflow' },
  inputs: [`${PENDING_DIR}/*.json`],
  scope: 'sweep',
  summary: 'tracking.txt',
  async run(ctx) {
    const tracking = (ctx.config['tracking'] ?? { kind: 'none' }) as TrackingConfig;
    if (tracking.kind !== 'mlflow') {
      await writeFile(join(ctx.outDir, 'tracking.txt'), 'Tracking is off (tracking=none).\n');
      return;
    }
    const [{ MlflowClient, MlflowError, exportSweep }, { canonicalJson, sha256Hex }] = await Promise.all([import('bench/tracking'), import('bench')]);
    const experiment = tracking.experiment ?? basename(ctx.projectRoot);
    const sweepKey = sha256Hex(canonicalJson({ experiment, points: ctx.points.map((p) => p.id).sort() }));
    const pending = join(ctx.projectRoot, PENDING_DIR, `${sweepKey.slice(0, 16)}.json`);
    const sweep = await trackedSweep(ctx, { experiment, sweepKey });
    const client = new MlflowClient({ uri: tracking.uri, ...attemptsFromEnv() });
    let result: ExportResult;
    try {
      result = await exportSweep(client, sweep);
    } catch (e) {
      if (!(e instanceof MlflowError)) throw e;
      if (tracking.required) throw new TaskError(`MLflow tracking failed (tracking.required is true): ${e.message}`);
      ctx.log.warn(`MLflow tracking skipped: ${e.message}`);
      await mkdir(join(ctx.projectRoot, PENDING_DIR), { recursive: true });
      await writeJson(join(ctx.projectRoot, PENDING_DIR), basename(pending), { uri: tracking.uri, experiment, reason: e.message, at: new Date().toISOString() });
      await writeFile(join(ctx.outDir, 'tracking.txt'), `MLflow tracking skipped: ${e.message}.\nThe results are complete in results/; the next run exports them to MLflow.\n`);
      return;
    }
    await rm(pending, { force: true });
    await writeJson(ctx.outDir, 'mlflow.json', { uri: tracking.uri, experiment, ...result });
    await writeFile(join(ctx.outDir, 'tracking.txt'), summaryText(tracking.uri, experiment, result));
  },
};

/** `BENCH_MLFLOW_ATTEMPTS`: requests per call before the server counts as unreachable (default 4). */
function attemptsFromEnv(): { attempts?: number } {
  const n = Number(process.env['BENCH_MLFLOW_ATTEMPTS']);
  return Number.isInteger(n) && n > 0 ? { attempts: n } : {};
}

function summaryText(uri: string, experiment: string, r: ExportResult): string {
  const lines = [
    `MLflow: experiment "${experiment}" (id ${r.experimentId}) at ${uri}, sweep run ${r.parentRunId}`,
    `  ${r.created.length} runs logged, ${r.existing.length} already there, ${r.redone.length} redone after an interrupted export`,
  ];
  if (r.artifactsSkipped) lines.push(`  artifacts not uploaded: ${r.artifactsSkipped}`);
  return `${lines.join('\n')}\n`;
}

async function trackedSweep(ctx: TaskContext, o: { experiment: string; sweepKey: string }) {
  const { collectRun } = await import('bench/tracking');
  const commit = await gitCommit(ctx.projectRoot);
  const commonTags: Record<string, string> = commit ? { 'mlflow.source.git.commit': commit } : {};
  const groups = configGroups(ctx.projectRoot);
  const runs = [];
  for (const point of ctx.points) {
    runs.push(await collectRun({
      point, choices: choicesOf(point, groups), commonTags,
      runDir: depFor(ctx.deps, 'workload:run', point.id).dir, metricsDir: depFor(ctx.deps, 'metrics', point.id).dir,
    }));
  }
  const reportDir = depFor(ctx.deps, 'report:pareto').dir;
  const artifacts = ['report.html', 'front.txt', 'metrics.arrow']
    .filter((f) => existsSync(join(reportDir, f)))
    .map((name) => ({ name, read: () => readFile(join(reportDir, name)) }));
  return {
    experiment: o.experiment, sweepKey: o.sweepKey, name: `sweep-${o.sweepKey.slice(0, 8)}`,
    tags: { ...commonTags, 'bench.points': String(ctx.points.length) }, artifacts, runs,
  };
}

/** The instance of `name` that served `pointId` (any instance when no point is given). */
function depFor(deps: Record<string, DepOutput[]>, name: string, pointId?: string): DepOutput {
  const dep = (deps[name] ?? []).find((d) => pointId === undefined || d.pointIds.includes(pointId));
  if (!dep) throw new Error(`missing dependency ${name}${pointId ? ` for ${pointId}` : ''}`);
  return dep;
}

/** Group names: the folders of conf/. */
function configGroups(root: string): string[] {
  try {
    return readdirSync(join(root, 'conf'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/**
 * The point's group choices: as the composer records them on the point, else (older composers)
 * the `group=option` overrides that made the point.
 */
function choicesOf(point: SweepPoint, groups: string[]): Record<string, string> {
  const recorded = (point as { choices?: Record<string, string> }).choices;
  if (recorded && Object.keys(recorded).length) return recorded;
  const out: Record<string, string> = {};
  for (const g of groups) {
    const o = [...point.overrides].reverse().find((s) => s.startsWith(`${g}=`));
    if (o) out[g] = o.slice(g.length + 1);
  }
  return out;
}

/** The project's commit, when it is a git checkout (the tag MLflow's UI shows as the run's source version). */
async function gitCommit(root: string): Promise<string | undefined> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: root }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}
