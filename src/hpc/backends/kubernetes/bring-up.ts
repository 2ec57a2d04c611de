/**
 * `scheduler:configure` for Kubernetes on netns hosts: PKI, etcd, kube-apiserver,
 * kube-controller-manager, then Volcano's CRDs, controllers and scheduler (or the stock
 * kube-scheduler), KWOK, the compute hosts as KWOK Nodes and the Queues; returns once every node
 * is Ready at its declared size, every queue Open and the scheduler healthy.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendContext, Cluster } from '../types.js';
import { kubernetesBinDir, TOOLS_DIR, volcanoVersion } from './binaries.js';
import { PORTS, probe, startComponent, stopComponents, waitFor, type Component } from './control-plane.js';
import { KubeApi, type KubeEndpoint } from './kube-api.js';
import { kwokStages } from './kwok-stages.js';
import { nodeManifest, queueManifest, queueProblems, type QueueConfig } from './manifests.js';
import { makePki, kubeconfig, type ClientName } from './pki.js';
import { renderVolcanoConf, volcanoBuildProblems, volcanoConfProblems, type VolcanoConfig } from './volcano-conf.js';
import { componentArgs, type ArgsInput } from './component-args.js';
import { createCrds, createNodes, createQueues, nodesReady, queuesOpen } from './cluster-objects.js';

/** What the handle keeps: enough for `run`, `stop` and a later process's teardown. */
export interface KubeHandleData {
  mode: 'volcano' | 'default';
  dir: string;
  endpoint: { server: string; pki: string };
  address: string;
  components: Component[];
  queues: string[];
  bringUpSeconds: number;
  coresPerNode: number;
  config: Record<string, unknown>;
}

/** The head host's namespace and directory in a netns cluster's record. */
function headOf(cluster: Cluster): { netns: string; dir: string; address: string } {
  const hosts = (cluster.data['hosts'] ?? []) as Array<{ role?: string; netns?: string; dir?: string; address?: string }>;
  const h = hosts.find((x) => x.role === 'head');
  if (!h?.netns || !h.dir || !h.address) throw new Error(`kubernetes: runs on provider netns only (cluster of provider ${cluster.provider} has no head namespace)`);
  return { netns: h.netns, dir: h.dir, address: h.address };
}

/** The API endpoint of the handle, with the admin identity. */
export async function adminEndpoint(d: Pick<KubeHandleData, 'endpoint'>, user: ClientName = 'admin'): Promise<KubeEndpoint> {
  const p = d.endpoint.pki;
  const [ca, cert, key] = await Promise.all(['ca.crt', `${user}.crt`, `${user}.key`].map((f) => readFile(join(p, f), 'utf8')));
  return { server: d.endpoint.server, ca: ca ?? '', cert: cert ?? '', key: key ?? '' };
}

/** Config problems found before anything starts, as one error naming each key. */
function checkConfig(config: Record<string, unknown>): { volcano: VolcanoConfig; queues: QueueConfig[] } {
  const volcano = config['volcano'] as VolcanoConfig;
  const queues = (volcano.queues ?? [{ name: 'default', weight: 1, reclaimable: true }]) as unknown as QueueConfig[];
  const problems = [...volcanoConfProblems(volcano), ...(config['kubernetes_scheduler'] === 'default' ? [] : volcanoBuildProblems(volcano)), ...queueProblems(queues)];
  if (problems.length) throw new Error(`kubernetes: conf/scheduler/kubernetes.yaml: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  return { volcano, queues };
}

/** PKI, kubeconfigs, volcano-scheduler.conf and KWOK's stages, in a fresh `dir`. */
async function writeClusterFiles(o: { dir: string; pki: string; server: string; address: string; volcano: VolcanoConfig }): Promise<ArgsInput['files']> {
  // A configure starts a cluster of its own: nothing of an earlier one (a failed bring-up's etcd) is reused.
  await rm(o.dir, { recursive: true, force: true });
  await mkdir(join(o.dir, 'logs'), { recursive: true });
  await makePki(o.pki, o.address);
  const kc = async (u: ClientName) => { const f = join(o.dir, `${u}.kubeconfig`); await writeFile(f, kubeconfig(o.pki, o.server, u)); return f; };
  const files = {
    kcm: await kc('kube-controller-manager'), ks: await kc('kube-scheduler'), volcano: await kc('volcano'), kwok: await kc('kwok'),
    volcanoConf: join(o.dir, 'volcano-scheduler.conf'), stages: join(o.dir, 'kwok-stages.yaml'),
  };
  await writeFile(files.volcanoConf, renderVolcanoConf(o.volcano));
  await writeFile(files.stages, kwokStages(join(TOOLS_DIR, 'config/kwok-stages.yaml')));
  return files;
}

/** Brings the control plane up; on failure stops what it started (the netns teardown removes the rest). */
export async function bringUp(cluster: Cluster, config: Record<string, unknown>, ctx: BackendContext): Promise<KubeHandleData> {
  const started = Date.now();
  const mode = config['kubernetes_scheduler'] === 'default' ? 'default' : 'volcano';
  const { volcano, queues } = checkConfig(config);
  const head = headOf(cluster);
  const bin = await kubernetesBinDir();
  const dir = join(head.dir, 'k8s');
  const pki = join(dir, 'pki');
  const server = `https://${head.address}:${PORTS.apiserver}`;
  const files = await writeClusterFiles({ dir, pki, server, address: head.address, volcano });
  const args = componentArgs({ dir, pki, address: head.address, files });
  const components: Component[] = [];
  const start = async (name: keyof typeof args) => {
    const c = await startComponent({ netns: head.netns, name, bin: join(bin, name), args: args[name], logDir: join(dir, 'logs') });
    components.push(c);
    return c;
  };
  const deadline = started + Number(config['ready_timeout_s'] ?? 120) * 1000;
  const wait = (what: string, check: () => Promise<boolean>) => waitFor(what, check, { deadline, watch: components, signal: ctx.signal });
  const data: KubeHandleData = { mode, dir, endpoint: { server, pki }, address: head.address, components, queues: queues.map((q) => q.name), bringUpSeconds: 0, coresPerNode: 0, config };
  const api = new KubeApi(await adminEndpoint(data));
  let vcScheduler: Component | undefined;
  try {
    await start('etcd');
    await wait('etcd health', async () => (await probe(`http://${head.address}:${PORTS.etcd}/health`)).status === 200);
    await start('kube-apiserver');
    await wait('kube-apiserver /readyz', async () => (await api.call('GET', '/readyz')).status === 200);
    await start('kube-controller-manager');
    await start('kwok');
    if (mode === 'volcano') {
      await createCrds(api, join(TOOLS_DIR, 'crds', await volcanoVersion()), (what, check) => wait(what, check));
      await start('vc-controller-manager');
      vcScheduler = await start('vc-scheduler');
    } else {
      await start('kube-scheduler');
    }
    const compute = cluster.hosts.filter((h) => h.role === 'compute');
    data.coresPerNode = Math.min(...compute.map((h) => h.cpus));
    await createNodes(api, compute.map(nodeManifest));
    await wait('the default service account (kube-controller-manager)', async () => (await api.call('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
    await wait(`${compute.length} KWOK nodes Ready at their declared capacity`, () => nodesReady(api, compute));
    if (mode === 'volcano') {
      await createQueues(api, queues.map(queueManifest), queues);
      await wait(`queues ${data.queues.join(', ')} Open (vc-controller-manager)`, () => queuesOpen(api, data.queues));
      await wait('vc-scheduler /healthz', async () => (await probe(`http://${head.address}:${PORTS.volcanoHealth}/healthz`)).status === 200);
    } else {
      await wait('kube-scheduler /readyz', async () => (await probe(`https://${head.address}:${PORTS.kubeScheduler}/readyz`)).status === 200);
    }
    data.bringUpSeconds = (Date.now() - started) / 1000;
    ctx.log.info(`kubernetes: control plane up on ${head.address} in ${data.bringUpSeconds.toFixed(2)} s (${mode === 'volcano' ? 'Volcano' : 'kube-scheduler'}, ${compute.length} KWOK nodes)`);
    return data;
  } catch (e) {
    await stopComponents(components);
    await rm(join(dir, 'etcd'), { recursive: true, force: true });
    // vc-scheduler exits on a file it refuses (--disable-default-scheduler-config): say which config it came from.
    if (vcScheduler && e instanceof Error && /\bvc-scheduler\b.* exited while/.test(e.message)) {
      throw new Error(`kubernetes: Volcano refused scheduler.volcano of conf/scheduler/kubernetes.yaml (rendered to ${files.volcanoConf}); ${e.message.replace(/^kubernetes: /, '')}`, { cause: e });
    }
    throw e;
  } finally {
    api.close();
  }
}

