/** Objects created at bring-up (CRDs, Nodes, Queues) and the readiness checks on them. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Host } from '../types.js';
import { statusMessage, type KubeApi } from './kube-api.js';
import { quantityValue, type Manifest, type QueueConfig } from './manifests.js';

type Wait = (what: string, check: () => Promise<boolean>) => Promise<void>;

/** Creates every CRD in `dir` and waits until the API server serves them. */
export async function createCrds(api: KubeApi, dir: string, wait: Wait): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
  const names: string[] = [];
  await Promise.all(files.map(async (f) => {
    for (const doc of parseAllDocuments(await readFile(join(dir, f), 'utf8'))) {
      const crd = doc.toJS() as Manifest | null;
      if (!crd) continue;
      const r = await api.call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
      if (r.status !== 201 && r.status !== 409) throw new Error(`kubernetes: the API server refused CRD ${f}: HTTP ${r.status}: ${statusMessage(r)}`);
      names.push(String(crd.metadata['name']));
    }
  }));
  await wait(`${names.length} Volcano CRDs Established`, async () => {
    const crds = await api.list<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    const established = new Set(crds.filter((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')).map((c) => c.metadata.name));
    return names.every((n) => established.has(n));
  });
}

/** Creates the Nodes; one the API server refuses is an error with its message. */
export async function createNodes(api: KubeApi, nodes: readonly Manifest[]): Promise<void> {
  await Promise.all(nodes.map(async (n) => {
    const r = await api.call('POST', '/api/v1/nodes', n);
    if (r.status !== 201) throw new Error(`kubernetes: the API server refused Node ${String(n.metadata['name'])} (from the topology): HTTP ${r.status}: ${statusMessage(r)}`);
  }));
}

/** Creates or updates the Queues (Volcano may have made `default` itself); a refusal names the config key. */
export async function createQueues(api: KubeApi, manifests: readonly Manifest[], config: readonly QueueConfig[]): Promise<void> {
  const base = '/apis/scheduling.volcano.sh/v1beta1/queues';
  for (const [i, q] of manifests.entries()) {
    const name = String(q.metadata['name']);
    let r = await api.call('POST', base, q);
    if (r.status === 409) r = await api.call('PATCH', `${base}/${name}`, { spec: q['spec'] }, 'application/merge-patch+json');
    if (r.status !== 201 && r.status !== 200) {
      throw new Error(`kubernetes: scheduler.volcano.queues[${i}] (${config[i]?.name ?? name}): the API server refused the Queue: HTTP ${r.status}: ${statusMessage(r)}`);
    }
  }
}

type NodeObj = { metadata: { name: string }; status?: { capacity?: Record<string, string>; conditions?: Array<{ type: string; status: string }> } };

/** Every compute host is a Ready Node with its declared cpu, memory and GPUs. */
export async function nodesReady(api: KubeApi, compute: readonly Host[]): Promise<boolean> {
  const nodes = new Map((await api.list<NodeObj>('/api/v1/nodes')).map((n) => [n.metadata.name, n]));
  return compute.every((h) => {
    const n = nodes.get(h.name);
    const cap = n?.status?.capacity ?? {};
    const ready = n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    const is = (k: string, v: number) => quantityValue(cap[k] ?? '0') === v;
    return ready && is('cpu', h.cpus) && is('memory', h.memoryMiB * 2 ** 20) && is('nvidia.com/gpu', h.gpus);
  });
}

/** Every queue is Open (vc-controller-manager has taken it up). */
export async function queuesOpen(api: KubeApi, names: readonly string[]): Promise<boolean> {
  const qs = await api.list<{ metadata: { name: string }; status?: { state?: string } }>('/apis/scheduling.volcano.sh/v1beta1/queues');
  return names.every((n) => qs.find((q) => q.metadata.name === n)?.status?.state === 'Open');
}
