/**
 * A small client for MLflow's REST API (`/api/2.0/mlflow/...`, the documented stable interface)
 * and its artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/...`, served by `mlflow server`
 * unless started with `--no-serve-artifacts`). Only what `exportSweep` needs. Transient failures
 * (connection refused or reset, timeouts, HTTP 429 and 5xx) are retried with back-off; what is
 * left is thrown as an {@link MlflowError} whose `kind` says whether the server could be reached.
 */

/** `unreachable`: no answer after every retry; `rejected`: the server answered with an error. */
export class MlflowError extends Error {
  override name = 'MlflowError';
  constructor(readonly kind: 'unreachable' | 'rejected', message: string) {
    super(message);
  }
}

export interface MlflowClientOptions {
  /** Base URL of the tracking server, e.g. `http://127.0.0.1:5000`. */
  uri: string;
  /** Attempts per request, the first included (default 4). */
  attempts?: number;
  /** Delay before the first retry, doubled for each next one (default 250 ms). */
  backoffMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Swapped in by tests; `globalThis.fetch` otherwise. */
  fetch?: typeof fetch;
}

export interface MlflowTag { key: string; value: string }
export interface MlflowMetric { key: string; value: number; timestamp: number; step: number }
export interface MlflowParam { key: string; value: string }

/** The fields of a run this project reads back. */
export interface MlflowRun {
  info: { run_id: string; status: string; artifact_uri: string; lifecycle_stage?: string };
  data: { tags?: MlflowTag[] };
}

/** Limits of one `runs/log-batch` request, from MLflow's REST API reference. */
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

/** A thin typed wrapper over the endpoints; every method may throw {@link MlflowError}. */
export class MlflowClient {
  private readonly base: string;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(opts: MlflowClientOptions) {
    this.base = opts.uri.replace(/\/+$/, '');
    this.attempts = opts.attempts ?? 4;
    this.backoffMs = opts.backoffMs ?? 250;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.fetchFn = opts.fetch ?? globalThis.fetch;
  }

  /** The experiment's id, created when missing. */
  async ensureExperiment(name: string): Promise<string> {
    const found = await this.call<{ experiment?: { experiment_id: string; lifecycle_stage?: string } }>(
      'GET', `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`, undefined, { notFoundOk: true },
    );
    if (found?.experiment) {
      if (found.experiment.lifecycle_stage === 'deleted') {
        await this.call('POST', 'experiments/restore', { experiment_id: found.experiment.experiment_id });
      }
      return found.experiment.experiment_id;
    }
    // MLflow 3's UI opens experiments of this kind on the runs table rather than the GenAI views.
    const tags = [{ key: 'mlflow.experimentKind', value: 'custom_model_development' }];
    const created = await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name, tags });
    return (created as { experiment_id: string }).experiment_id;
  }

  /** Every active run of the experiment matching `filter` (MLflow's search syntax), all pages. */
  async searchRuns(experimentId: string, filter: string): Promise<MlflowRun[]> {
    const out: MlflowRun[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ runs?: MlflowRun[]; next_page_token?: string }>('POST', 'runs/search', {
        experiment_ids: [experimentId], filter, run_view_type: 'ACTIVE_ONLY', max_results: 1000,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      out.push(...(page?.runs ?? []));
      pageToken = page?.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  async createRun(opts: { experimentId: string; name: string; startTime: number; tags: MlflowTag[] }): Promise<MlflowRun> {
    const r = await this.call<{ run: MlflowRun }>('POST', 'runs/create', {
      experiment_id: opts.experimentId, run_name: opts.name, start_time: opts.startTime, tags: opts.tags,
    });
    return (r as { run: MlflowRun }).run;
  }

  /** Logs metrics, params and tags, split into requests within {@link BATCH_LIMITS}. */
  async logBatch(runId: string, data: { metrics?: MlflowMetric[]; params?: MlflowParam[]; tags?: MlflowTag[] }): Promise<void> {
    for (const chunk of chunked(data.params ?? [], BATCH_LIMITS.params)) await this.call('POST', 'runs/log-batch', { run_id: runId, params: chunk });
    for (const chunk of chunked(data.tags ?? [], BATCH_LIMITS.tags)) await this.call('POST', 'runs/log-batch', { run_id: runId, tags: chunk });
    for (const chunk of chunked(data.metrics ?? [], BATCH_LIMITS.metrics)) {
      await this.call('POST', 'runs/log-batch', { run_id: runId, metrics: chunk.map(jsonMetric) });
    }
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/set-tag', { run_id: runId, key, value });
  }

  async finishRun(runId: string, endTime: number): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: endTime });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.call('POST', 'runs/delete', { run_id: runId });
  }

  /**
   * Uploads one file under the run's artifact root through the server's artifact proxy. Returns
   * false when the run's artifacts are not proxied (an `artifact_uri` that is not `mlflow-artifacts:`),
   * since then only a client with access to that store could write them.
   */
  async uploadArtifact(artifactUri: string, name: string, body: Uint8Array): Promise<boolean> {
    const root = proxiedArtifactPath(artifactUri);
    if (root === undefined) return false;
    const path = [...root.split('/'), ...name.split('/')].filter(Boolean).map(encodeURIComponent).join('/');
    await this.request('PUT', `${this.base}/api/2.0/mlflow-artifacts/artifacts/${path}`, body, {});
    return true;
  }

  private async call<T>(method: 'GET' | 'POST', endpoint: string, body?: unknown, opts: { notFoundOk?: boolean } = {}): Promise<T | undefined> {
    const text = await this.request(method, `${this.base}/api/2.0/mlflow/${endpoint}`, body === undefined ? undefined : JSON.stringify(body), opts);
    return text === undefined || text === '' ? ({} as T) : (JSON.parse(text) as T);
  }

  /** One request with retries; undefined when `notFoundOk` and the server says RESOURCE_DOES_NOT_EXIST. */
  private async request(method: string, url: string, body: string | Uint8Array | undefined, opts: { notFoundOk?: boolean }): Promise<string | undefined> {
    let last = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 2)));
      let res: Response;
      try {
        res = await this.fetchFn(url, {
          method,
          ...(body === undefined ? {} : { body: body as BodyInit, headers: { 'content-type': typeof body === 'string' ? 'application/json' : 'application/octet-stream' } }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        last = networkReason(e);
        continue;
      }
      const text = await res.text();
      if (res.ok) return text;
      if (opts.notFoundOk && res.status === 404 && /RESOURCE_DOES_NOT_EXIST/.test(text)) return undefined;
      if (res.status === 429 || res.status >= 500) {
        last = `HTTP ${res.status} ${serverMessage(text)}`;
        continue;
      }
      throw new MlflowError('rejected', `${method} ${url.slice(this.base.length)}: HTTP ${res.status} ${serverMessage(text)}`);
    }
    const what = /^HTTP/.test(last) ? 'answered with errors' : 'unreachable';
    throw new MlflowError(/^HTTP/.test(last) ? 'rejected' : 'unreachable', `MLflow server at ${this.base} ${what} after ${this.attempts} attempts (${last})`);
  }
}

/** The path under the artifact proxy for a run's `artifact_uri`, or undefined when not proxied. */
export function proxiedArtifactPath(artifactUri: string): string | undefined {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  return m ? (m[1] ?? '').replace(/\/+$/, '') : undefined;
}

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** MLflow's JSON takes non-finite doubles as the strings "NaN", "Infinity", "-Infinity". */
function jsonMetric(m: MlflowMetric): Record<string, unknown> {
  return { ...m, value: Number.isFinite(m.value) ? m.value : String(m.value) };
}

function networkReason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

function serverMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { error_code?: string; message?: string };
    return [j.error_code, j.message].filter(Boolean).join(': ');
  } catch {
    return text.slice(0, 200);
  }
}
