/**
 * The few Kubernetes API calls bench makes, over plain HTTPS with the client certificate the
 * bring-up generated. `@kubernetes/client-node` was not used: bench needs create, get, list,
 * delete and the raw `/metrics` and `/readyz` text, with a pinned CA and a keep-alive agent, and
 * that library brings a generated client for every API group and its own fetch stack for it.
 */
import { Agent, request } from 'node:https';

/** Credentials and address of one API server. */
export interface KubeEndpoint {
  server: string;
  ca: string;
  cert: string;
  key: string;
}

/** A response: status code and the body (parsed when JSON). */
export interface KubeResponse {
  status: number;
  body: unknown;
  text: string;
}

/** The message of a Kubernetes `Status` body, or the raw text. */
export function statusMessage(r: KubeResponse): string {
  const b = r.body as { message?: unknown } | undefined;
  return typeof b?.message === 'string' ? b.message : r.text.slice(0, 500);
}

/** An API client bound to one server; `close` ends its kept-alive connections. */
export class KubeApi {
  private readonly agent: Agent;

  constructor(readonly endpoint: KubeEndpoint, private readonly timeoutMs = 20_000) {
    this.agent = new Agent({ ca: endpoint.ca, cert: endpoint.cert, key: endpoint.key, keepAlive: true, maxSockets: 16 });
  }

  /** One request; network errors reject, HTTP errors resolve with their status. */
  call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.endpoint.server), {
        method, agent: this.agent, timeout: this.timeoutMs,
        headers: { accept: 'application/json, */*', ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          if ((res.headers['content-type'] ?? '').includes('json')) {
            try { parsed = JSON.parse(text); } catch { parsed = undefined; }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** GET that must succeed; returns the parsed body. */
  async get<T>(path: string): Promise<T> {
    const r = await this.call('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}: ${statusMessage(r)}`);
    return r.body as T;
  }

  /** Items of a list call. */
  async list<T>(path: string): Promise<T[]> {
    return (await this.get<{ items?: T[] }>(path)).items ?? [];
  }

  close(): void {
    this.agent.destroy();
  }
}
