import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MlflowClient, MlflowError, proxiedArtifactPath } from '../../../../src/hpc/tracking/mlflow-client.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A loopback HTTP server answering with the given statuses in turn; returns its URL and the requests seen. */
async function serve(answers: { status: number; body: string }[]): Promise<{ uri: string; seen: { method: string; url: string; body: string }[] }> {
  const seen: { method: string; url: string; body: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const a = answers[Math.min(seen.length - 1, answers.length - 1)] as { status: number; body: string };
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  return { uri: `http://127.0.0.1:${(server?.address() as { port: number }).port}`, seen };
}

describe('MlflowClient', () => {
  it('retries a 503 and succeeds', async () => {
    const { uri, seen } = await serve([{ status: 503, body: '{}' }, { status: 200, body: '{"experiment_id":"7"}' }]);
    const client = new MlflowClient({ uri, backoffMs: 1 });
    // get-by-name answers 503 then a body without an experiment: the client creates it.
    await expect(client.ensureExperiment('e')).resolves.toBe('7');
    expect(seen.map((s) => s.url)).toEqual(['/api/2.0/mlflow/experiments/get-by-name?experiment_name=e', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=e', '/api/2.0/mlflow/experiments/create']);
    expect(JSON.parse(seen[2]?.body ?? '')).toMatchObject({ name: 'e' });
  });

  it('does not retry a 400, and names the server error', async () => {
    const { uri, seen } = await serve([{ status: 400, body: '{"error_code":"INVALID_PARAMETER_VALUE","message":"bad key"}' }]);
    const err = await new MlflowClient({ uri, backoffMs: 1 }).setTag('r', 'k', 'v').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowError);
    expect((err as MlflowError).kind).toBe('rejected');
    expect((err as MlflowError).message).toMatch(/HTTP 400 INVALID_PARAMETER_VALUE: bad key/);
    expect(seen).toHaveLength(1);
  });

  it('says the server is unreachable, with the cause, after every attempt', async () => {
    const { uri } = await serve([]);
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const err = await new MlflowClient({ uri, attempts: 3, backoffMs: 1 }).ensureExperiment('e').catch((e: unknown) => e);
    expect((err as MlflowError).kind).toBe('unreachable');
    expect((err as MlflowError).message).toBe(`MLflow server at ${uri} unreachable after 3 attempts (ECONNREFUSED)`);
  });

  it('splits log-batch requests at MLflow limits (100 params per request)', async () => {
    const { uri, seen } = await serve([{ status: 200, body: '{}' }]);
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    await new MlflowClient({ uri }).logBatch('r', { params, metrics: [{ key: 'm', value: Number.NaN, timestamp: 1, step: 0 }] });
    const bodies = seen.map((s) => JSON.parse(s.body) as { params?: unknown[]; metrics?: { value: unknown }[] });
    expect(bodies.map((b) => b.params?.length ?? 0)).toEqual([100, 100, 50, 0]);
    expect(bodies[3]?.metrics?.[0]?.value).toBe('NaN');
  });
});

describe('proxiedArtifactPath', () => {
  it('maps mlflow-artifacts URIs to the proxy path and refuses others', () => {
    expect(proxiedArtifactPath('mlflow-artifacts:/1/abc/artifacts')).toBe('1/abc/artifacts');
    expect(proxiedArtifactPath('mlflow-artifacts://host:5000/1/abc/artifacts')).toBe('1/abc/artifacts');
    expect(proxiedArtifactPath('/srv/mlruns/1/abc/artifacts')).toBeUndefined();
    expect(proxiedArtifactPath('s3://bucket/1/abc/artifacts')).toBeUndefined();
  });
});
