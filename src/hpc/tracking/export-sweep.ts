/**
 * Mirrors one sweep into MLflow: the experiment, one parent run for the sweep, one child run per
 * sweep point repetition. Idempotent by tags, so the cache stays the source of truth and MLflow a
 * view that a rerun completes rather than duplicates:
 *
 * - a child run is found by `bench.fingerprint` (its point, repetition, config and result
 *   digests); one that exists and carries `bench.complete` is left alone, one without it (an
 *   export killed half-way) is deleted and logged again. `bench.complete` is set after the run is
 *   finished, so a kill between the two leaves a run that is redone, never one left RUNNING;
 * - the parent run is found by `bench.sweep` (the experiment and the sweep's point ids), so an
 *   edited config value adds child runs under the same parent and leaves the old ones.
 */
import type { MlflowClient, MlflowMetric, MlflowParam, MlflowRun, MlflowTag } from './mlflow-client.js';

/** A file to upload as an artifact, read only when it is needed. */
export interface ArtifactSource {
  /** Name under the run's artifact root. */
  name: string;
  read(): Promise<Uint8Array>;
}

/** One sweep point repetition, ready to log. */
export interface TrackedRun {
  name: string;
  fingerprint: string;
  params: MlflowParam[];
  /** Scalar metrics, logged at step 0. */
  metrics: Record<string, number>;
  /** Metric histories (time series), already as MLflow metrics with steps and timestamps. */
  histories: MlflowMetric[];
  tags: Record<string, string>;
  artifacts: ArtifactSource[];
}

export interface TrackedSweep {
  experiment: string;
  /** Digest identifying the sweep: the parent run's `bench.sweep` tag. */
  sweepKey: string;
  name: string;
  tags: Record<string, string>;
  artifacts: ArtifactSource[];
  runs: TrackedRun[];
}

export interface ExportResult {
  experimentId: string;
  parentRunId: string;
  /** Child runs logged by this export. */
  created: string[];
  /** Child runs already complete in MLflow, left as they were. */
  existing: string[];
  /** Child runs found incomplete (an interrupted export), deleted and logged again. */
  redone: string[];
  /** Set when the server does not proxy artifacts, so none could be uploaded. */
  artifactsSkipped?: string;
}

export const TAG = {
  kind: 'bench.kind',
  fingerprint: 'bench.fingerprint',
  sweep: 'bench.sweep',
  complete: 'bench.complete',
  parent: 'mlflow.parentRunId',
} as const;

/** Logs what is missing; throws `MlflowError` when the server cannot be reached or refuses. */
export async function exportSweep(client: MlflowClient, sweep: TrackedSweep, now: () => number = Date.now): Promise<ExportResult> {
  const experimentId = await client.ensureExperiment(sweep.experiment);
  const parent = await findOrCreateParent(client, experimentId, sweep, now);
  const known = new Map<string, MlflowRun>();
  for (const run of await client.searchRuns(experimentId, `tags.\`${TAG.kind}\` = 'point'`)) {
    const fp = tagOf(run, TAG.fingerprint);
    if (fp) known.set(fp, run);
  }
  const result: ExportResult = { experimentId, parentRunId: parent.info.run_id, created: [], existing: [], redone: [] };
  let proxied = true;
  for (const tracked of sweep.runs) {
    const found = known.get(tracked.fingerprint);
    if (found && tagOf(found, TAG.complete) === 'true') {
      // Exports before the finish-then-tag order could leave a complete run RUNNING.
      if (found.info.status !== 'FINISHED') await client.finishRun(found.info.run_id, now());
      result.existing.push(tracked.name);
      continue;
    }
    if (found) await client.deleteRun(found.info.run_id);
    proxied = (await logChild(client, { experimentId, parentRunId: parent.info.run_id, tracked, now })) && proxied;
    (found ? result.redone : result.created).push(tracked.name);
  }
  proxied = (await uploadAll(client, parent.info.artifact_uri, sweep.artifacts)) && proxied;
  await client.finishRun(parent.info.run_id, now());
  await client.setTag(parent.info.run_id, TAG.complete, 'true');
  if (!proxied) {
    result.artifactsSkipped = `the server does not proxy artifacts (artifact_uri ${parent.info.artifact_uri}); start it with --serve-artifacts`;
  }
  return result;
}

async function findOrCreateParent(client: MlflowClient, experimentId: string, sweep: TrackedSweep, now: () => number): Promise<MlflowRun> {
  const found = await client.searchRuns(experimentId, `tags.\`${TAG.sweep}\` = '${sweep.sweepKey}'`);
  const run = found.find((r) => tagOf(r, TAG.kind) === 'sweep');
  if (run) return run;
  return client.createRun({
    experimentId, name: sweep.name, startTime: now(),
    tags: toTags({ ...sweep.tags, [TAG.kind]: 'sweep', [TAG.sweep]: sweep.sweepKey }),
  });
}

/** One child run: created with its identifying tags, filled, finished, marked complete last. Returns false if artifacts were not proxied. */
async function logChild(
  client: MlflowClient,
  o: { experimentId: string; parentRunId: string; tracked: TrackedRun; now: () => number },
): Promise<boolean> {
  const { tracked } = o;
  const start = o.now();
  const run = await client.createRun({
    experimentId: o.experimentId, name: tracked.name, startTime: start,
    tags: toTags({ ...tracked.tags, [TAG.kind]: 'point', [TAG.fingerprint]: tracked.fingerprint, [TAG.parent]: o.parentRunId }),
  });
  const scalars: MlflowMetric[] = Object.entries(tracked.metrics).map(([key, value]) => ({ key, value, timestamp: start, step: 0 }));
  await client.logBatch(run.info.run_id, { params: tracked.params, metrics: [...scalars, ...tracked.histories] });
  const proxied = await uploadAll(client, run.info.artifact_uri, tracked.artifacts);
  await client.finishRun(run.info.run_id, o.now());
  await client.setTag(run.info.run_id, TAG.complete, 'true');
  return proxied;
}

async function uploadAll(client: MlflowClient, artifactUri: string, artifacts: ArtifactSource[]): Promise<boolean> {
  for (const a of artifacts) {
    if (!(await client.uploadArtifact(artifactUri, a.name, await a.read()))) return false;
  }
  return true;
}

function tagOf(run: MlflowRun, key: string): string | undefined {
  return run.data.tags?.find((t) => t.key === key)?.value;
}

function toTags(record: Record<string, string>): MlflowTag[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}
