/**
 * Real Kubernetes + Volcano figures on netns hosts, in one invocation, for Volcano and for the
 * stock kube-scheduler on the same cluster shape: control-plane bring-up (1 head + 2 compute, from
 * `configure` to every node Ready and the scheduler healthy; median of runs), per-job submission
 * overhead (Jobs created one after another through the API), and pods bound per second with
 * 1,000 pods created at once on 100 KWOK nodes. Needs root and the binaries of
 * tools/kubernetes/build.sh; leaves nothing running.
 * Usage: npm run bench:k8s [-- --runs=3 --pods=1000 --nodes=100 --jobs=50 --subnet=10.87.0.0/24]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { adminEndpoint, type KubeHandleData } from '../src/hpc/backends/kubernetes/bring-up.js';
import { kubernetesScheduler } from '../src/hpc/backends/kubernetes/index.js';
import { KubeApi } from '../src/hpc/backends/kubernetes/kube-api.js';
import { batchJobManifest, nodeManifest, podTemplate, RUN_TIME_ANNOTATION, volcanoJobManifest } from '../src/hpc/backends/kubernetes/manifests.js';
import { jobsPath } from '../src/hpc/backends/kubernetes/run-jobs.js';
import { cleanupNetnsLeftovers, netnsProvider } from '../src/hpc/backends/netns/netns-provider.js';
import { hostStateFor } from '../src/hpc/backends/registry.js';
import type { BackendContext, Topology } from '../src/hpc/backends/types.js';

function arg(name: string, dflt: number | string): string {
  const eq = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : String(dflt);
}
const runs = Math.max(1, Number(arg('runs', 3)));
const podCount = Number(arg('pods', 1000));
const nodeCount = Number(arg('nodes', 100));
const jobCount = Number(arg('jobs', 50));
const subnet = arg('subnet', '10.87.0.0/24');
type Mode = 'volcano' | 'default';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] ?? 0 : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const stateDir = mkdtempSync(join(tmpdir(), 'bench-k8s-'));
const providerConfig = { kind: 'netns', subnet, bridge: 'bkb', scale_to_host: true, state_dir: stateDir, host_state: hostStateFor('netns') };
const baseConfig = parse(readFileSync('conf/scheduler/kubernetes.yaml', 'utf8')) as Record<string, unknown>;
const ctx: BackendContext = { signal: new AbortController().signal, workDir: stateDir, log: { info: () => undefined, warn: (m) => console.log(`  warn: ${m}`), debug: () => undefined } };
const topology: Topology = { name: 'bench-k8s', head_nodes: { count: 1, vcpus: 1, memory_gib: 1 }, compute_nodes: { count: 2, vcpus: 8, memory_gib: 8, gpus: 0 } } as Topology;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates `jobCount` one-pod Jobs back to back; ms per create. */
async function submitOverhead(api: KubeApi, mode: Mode): Promise<number> {
  const t0 = Date.now();
  for (let i = 1; i <= jobCount; i++) {
    const plan = { runId: 'sub', job: { id: i, user: 'u', submit: 0, cores: 1, nodes: 1, gpus: 0, memoryMiB: 64, runtime: 1, walltime: 60 }, coresPerNode: 8, timeScale: 1, namespace: 'default' };
    const m = mode === 'volcano' ? volcanoJobManifest({ ...plan, queue: 'default', schedulerName: 'volcano' }) : batchJobManifest({ ...plan, schedulerName: 'default-scheduler' });
    const r = await api.call('POST', jobsPath(mode, 'default'), m);
    if (r.status !== 201) throw new Error(`create job: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  }
  return (Date.now() - t0) / jobCount;
}

/** Adds KWOK nodes, creates `podCount` one-core pods at once, and times until all are bound. */
async function bindRate(api: KubeApi, mode: Mode): Promise<{ createS: number; boundS: number }> {
  await Promise.all(Array.from({ length: nodeCount }, (_, i) => api.call('POST', '/api/v1/nodes', nodeManifest({ name: `n${i + 1}`, cpus: 32, memoryMiB: 131072, gpus: 0 }))));
  for (;;) {
    const ready = (await api.list<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('/api/v1/nodes')).filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length >= nodeCount) break;
    await sleep(200);
  }
  const schedulerName = mode === 'volcano' ? 'volcano' : 'default-scheduler';
  const t0 = Date.now();
  const all = Array.from({ length: podCount }, (_, i) => i);
  for (let i = 0; i < all.length; i += 50) {
    await Promise.all(all.slice(i, i + 50).map(async (k) => {
      const t = podTemplate({ runId: 'bind', job: { id: k, user: 'u', submit: 0, cores: 1, nodes: 1, gpus: 0, memoryMiB: 64, runtime: 3600, walltime: 7200 }, coresPerNode: 32, timeScale: 1, schedulerName }) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      (t.metadata['annotations'] as Record<string, string>)[RUN_TIME_ANNOTATION] = '1h';
      const r = await api.call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { ...t.metadata, name: `bind-${k}` }, spec: t.spec });
      if (r.status !== 201) throw new Error(`create pod: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    }));
  }
  const createS = (Date.now() - t0) / 1000;
  for (;;) {
    const pods = await api.list<{ spec?: { nodeName?: string } }>('/api/v1/namespaces/default/pods?labelSelector=bench%2Frun%3Dbind');
    if (pods.filter((p) => p.spec?.nodeName).length >= podCount) break;
    await sleep(250);
  }
  return { createS, boundS: (Date.now() - t0) / 1000 };
}

async function measure(mode: Mode): Promise<{ bringUp: number[]; submitMs: number; createS: number; boundS: number }> {
  const bringUp: number[] = [];
  let submitMs = 0;
  let bind = { createS: 0, boundS: 0 };
  for (let r = 0; r < runs; r++) {
    const cluster = await netnsProvider.up(topology, providerConfig, ctx);
    try {
      const handle = await kubernetesScheduler.configure(cluster, { ...baseConfig, kubernetes_scheduler: mode, ready_timeout_s: 300 }, ctx);
      const d = handle.data as unknown as KubeHandleData;
      bringUp.push(d.bringUpSeconds);
      console.log(`  ${mode} run ${r + 1}: bring-up ${d.bringUpSeconds.toFixed(2)} s`);
      if (r === runs - 1) {
        const api = new KubeApi(await adminEndpoint(d), 60_000);
        try {
          submitMs = await submitOverhead(api, mode);
          bind = await bindRate(api, mode);
        } finally {
          api.close();
        }
      }
      await kubernetesScheduler.stop(handle, ctx);
    } finally {
      await netnsProvider.down(cluster, ctx);
    }
  }
  return { bringUp, submitMs, ...bind };
}

try {
  console.log(`Kubernetes v1.34.1 + Volcano v1.14.1 + KWOK v0.8.0 on netns hosts; ${runs} bring-ups per scheduler, then ${jobCount} Jobs and ${podCount} pods on ${nodeCount} KWOK nodes`);
  const results = { volcano: await measure('volcano'), default: await measure('default') };
  const row = (label: string, unit: string, f: (m: typeof results.volcano) => number, digits = 2) =>
    console.log(`  ${label.padEnd(44)} ${unit.padStart(5)}   volcano ${f(results.volcano).toFixed(digits).padStart(8)}   kube-scheduler ${f(results.default).toFixed(digits).padStart(8)}   ratio ${(f(results.volcano) / f(results.default)).toFixed(2)}`);
  console.log('');
  row('control-plane bring-up (median; goal <= 15 s)', 's', (m) => median(m.bringUp));
  row(`submission, ${jobCount} Jobs one after another, per job`, 'ms', (m) => m.submitMs, 1);
  row(`${podCount} pods created (50 requests in flight)`, 's', (m) => m.createS);
  row(`${podCount} pods bound, from the first create`, 's', (m) => m.boundS);
  row('pods bound per second', 'pod/s', (m) => podCount / m.boundS, 1);
} finally {
  await cleanupNetnsLeftovers({ state_dir: stateDir });
  rmSync(stateDir, { recursive: true, force: true });
}
