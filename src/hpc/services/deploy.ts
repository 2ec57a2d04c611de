/**
 * `service:deploy` and `client:run` against a SLURM cluster bench reaches over SSH. Deploy:
 * sbatch the service job, wait for RUNNING, resolve its node from squeue, wait for the health
 * check; any failure cancels the job and reports its own output. Undeploy: scancel that job only
 * and remove its files. A client run: check the service is still running, sbatch the client with
 * the endpoint, wait for it to end, read its output from its node and parse it.
 */
import type { BackendContext, Cluster, Host } from '../backends/types.js';
import { Remote } from '../remote/remote.js';
import { SshPool } from '../remote/ssh-pool.js';
import type { ClientRow } from './client-row.js';
import { newContainerTag, removeOwnedContainersArgv, type ContainerRun } from './container-run.js';
import { containerStore } from './container-store.js';
import { jobFiles, jobSbatchArgv, renderJobScript, serviceJobName, type JobRole } from './job-script.js';
import { runtimeOf, type Endpoint, type Runtime } from './kind.js';
import type { Resources } from './recipe-fields.js';
import { clientKindFor, serviceKindFor } from './registry.js';
import { cancelJob, hostOfNode, jobStatus, readJobOutput, removeClientFiles, removeJobFiles, ServiceJobError, submitJob, waitForJob } from './slurm-job.js';
import { runHealthCheck } from './health.js';

/** A deployed service, as the resource ledger keeps it (JSON). */
export interface ServiceHandle {
  recipe: string;
  kind: string;
  jobId: number;
  endpoint: Endpoint;
  cluster: Cluster;
  /** How the service runs; absent in handles from before containers (host). */
  runtime?: Runtime;
  /** The image `service:image` built for the service, when it runs in podman. */
  image?: ServiceImage;
  /** Random tag labelling the service's containers and its clients' (`bench.owner`), and the token in their job files' names (job-script.ts). */
  tag?: string;
  /** Seconds from sbatch to RUNNING and to the first passing health check. */
  startS: number;
  healthyS: number;
}

/** An image in bench's podman store (what `service:image` writes to image.json). */
export interface ServiceImage {
  ref: string;
  /** The store folder (absolute, on a filesystem the nodes share). */
  store: string;
}

type Recipe = Record<string, unknown> & { kind: string; env?: Record<string, string>; resources: Resources; runtime?: Runtime };

/** The container a job runs in, or undefined for `runtime: host`; a message when it cannot have one. */
function containerFor(runtime: Runtime, what: string, cluster: Cluster, image: ServiceImage | undefined, tag: string, owner: string, memoryMib: number): ContainerRun | undefined {
  if (runtime === 'host') return undefined;
  if (!image) throw new ServiceJobError(`${what}: runtime podman, but no image was built for it (service:image / client:image)`);
  // The store is a folder of this machine: only nodes sharing its filesystem can run from it.
  if (cluster.provider !== 'netns') throw new ServiceJobError(`${what}: runtime podman runs images from bench's store on this machine's filesystem, which only provider=netns nodes share (provider is ${cluster.provider}); set runtime: host`);
  return { store: containerStore(image.store), image: image.ref, tag, owner, memoryMib };
}

/** Removes every container of the service (its own, its clients') on the node, when it used podman. */
async function removeContainers(remote: Remote, host: Host | undefined, image: ServiceImage | undefined, owner: string | undefined): Promise<void> {
  if (!host || !image || !owner) return;
  const r = await remote.exec(host, removeOwnedContainersArgv(containerStore(image.store), owner), 60_000);
  if (r.code !== 0) throw new ServiceJobError(`podman rm of the service's containers on ${host.name} failed: ${`${r.stderr}${r.stdout}`.trim()}`);
}

async function withRemote<T>(cluster: Cluster, ctx: BackendContext, f: (r: Remote) => Promise<T>, signal = ctx.signal): Promise<T> {
  const pool = new SshPool({ onEvent: (e) => ctx.log.debug(`ssh: ${JSON.stringify(e)}`) });
  try {
    return await f(new Remote(pool, cluster, signal));
  } finally {
    await pool.close();
  }
}

function must<T>(v: T | string): T {
  if (typeof v === 'string') throw new ServiceJobError(v);
  return v;
}

/** The job's output on its node, as a block for an error message ('' when there is none). */
async function outputBlock(remote: Remote, host: Host | undefined, role: JobRole, token: string | undefined, id: number): Promise<string> {
  const text = host ? await readJobOutput(remote, host, role, token, id, 8192).catch(() => '') : '';
  return text.trim() ? `\n--- output of SLURM job ${id} (last 8 KiB) ---\n${text.trimEnd()}` : `\n(SLURM job ${id} left no output)`;
}

/** Submits the service job and waits until it runs and answers; cancels it on any failure. */
export async function deployService(cluster: Cluster, recipe: Recipe & { name: string; port: number; health: { timeout_s: number; interval_s: number } }, ctx: BackendContext, image?: ServiceImage): Promise<ServiceHandle> {
  const kind = must(serviceKindFor(recipe.kind));
  const runtime = runtimeOf(recipe, kind);
  const tag = newContainerTag();
  const container = containerFor(runtime, `service ${recipe.name}`, cluster, image, tag, tag, recipe.resources.memory_mib);
  const script = renderJobScript({ role: 'svc', token: tag, label: `service ${recipe.name} (${kind.kind}, ${runtime})`, env: recipe.env ?? {}, body: kind.renderScript(recipe), ...(container ? { container } : {}) });
  return withRemote(cluster, ctx, async (remote) => {
    const t0 = Date.now();
    const jobId = await submitJob(remote, jobSbatchArgv({ role: 'svc', token: tag, name: serviceJobName('svc', recipe.name), resources: recipe.resources }), script);
    ctx.log.info(`service ${recipe.name}: SLURM job ${jobId} submitted (output in ${jobFiles('svc', tag, jobId).output} on its node)`);
    let host: Host | undefined;
    try {
      const deadline = t0 + recipe.health.timeout_s * 1000;
      const s = await waitForJob(remote, jobId, (x) => x.state === 'RUNNING', deadline);
      if (s?.node) host = hostOfNode(cluster.hosts, s.node);
      if (s?.state !== 'RUNNING') throw new ServiceJobError(`service ${recipe.name}: SLURM job ${jobId} did not start (${s ? `${s.state} ${s.reason}` : 'gone from squeue'})`);
      if (!host) throw new ServiceJobError(`service ${recipe.name}: SLURM job ${jobId} runs on ${s.node}, which is not a host of this cluster`);
      const endpoint: Endpoint = { node: s.node, address: host.address, port: recipe.port };
      const startS = (Date.now() - t0) / 1000;
      const health = await runHealthCheck(remote, { command: kind.healthCommand(recipe, endpoint), jobId, intervalMs: recipe.health.interval_s * 1000, deadline });
      if (health !== 'healthy') throw new ServiceJobError(`service ${recipe.name}: ${health}`);
      const healthyS = (Date.now() - t0) / 1000;
      ctx.log.info(`service ${recipe.name}: SLURM job ${jobId} on ${s.node}, healthy at ${endpoint.address}:${endpoint.port} after ${healthyS.toFixed(1)} s`);
      return { recipe: recipe.name, kind: kind.kind, jobId, endpoint, cluster, runtime, ...(image ? { image } : {}), tag, startS, healthyS };
    } catch (e) {
      // Cancel with a fresh signal: an interrupted run must still not leave its job behind.
      const output = await withRemote(cluster, ctx, async (r) => {
        await cancelJob(r, jobId).catch(() => undefined);
        await removeContainers(r, host, image, tag).catch(() => undefined);
        const out = await outputBlock(r, host, 'svc', tag, jobId);
        if (host) await removeJobFiles(r, host, 'svc', tag, jobId).catch(() => undefined);
        return out;
      }, new AbortController().signal).catch(() => '');
      if (e instanceof ServiceJobError) throw new ServiceJobError(`${e.message}; the job was cancelled${output}`);
      throw e;
    }
  });
}

/** Cancels the service's own job (no other) and removes its files on its node, and its clients'. */
export async function undeployService(handle: ServiceHandle, ctx: BackendContext): Promise<void> {
  await withRemote(handle.cluster, ctx, async (remote) => {
    await cancelJob(remote, handle.jobId);
    const host = hostOfNode(handle.cluster.hosts, handle.endpoint.node);
    // The job's TERM trap removes its container; this also takes any a killed job left, and clients'.
    await removeContainers(remote, host, handle.image, handle.tag);
    if (host) await removeJobFiles(remote, host, 'svc', handle.tag, handle.jobId);
    // And what client jobs of this service a killed run left (their names carry its tag).
    if (handle.tag) await removeClientFiles(remote, handle.tag);
  }, new AbortController().signal);
  ctx.log.info(`service ${handle.recipe}: SLURM job ${handle.jobId} cancelled`);
}

/** What `bench status` shows of a deployed service: its job, the job's state asked of squeue now, node and endpoint. */
export async function describeService(handle: ServiceHandle, ctx: BackendContext): Promise<Record<string, string>> {
  const state = await withRemote(handle.cluster, ctx, async (remote) => {
    const s = await jobStatus(remote, handle.jobId);
    return s ? s.state : 'gone from squeue';
  }).catch((e: unknown) => `unknown (${e instanceof Error ? e.message : String(e)})`);
  return { service: `${handle.recipe} (${handle.kind}, ${handle.runtime ?? 'host'})`, ...(handle.image ? { image: handle.image.ref } : {}), slurm_job: String(handle.jobId), state, node: handle.endpoint.node, endpoint: `${handle.endpoint.address}:${handle.endpoint.port}` };
}

/** What one client run produced. */
export interface ClientRunResult {
  jobId: number;
  node: string;
  rows: ClientRow[];
  output: string;
  granularity: 'request' | 'aggregate';
  runtime: Runtime;
  /** The client's image, with runtime podman. */
  image?: string;
}

async function serviceAlive(remote: Remote, handle: ServiceHandle, when: string): Promise<void> {
  const s = await jobStatus(remote, handle.jobId);
  if (s?.state !== 'RUNNING') throw new ServiceJobError(`service ${handle.recipe} (SLURM job ${handle.jobId}) is ${s?.state ?? 'gone'} ${when}: the service died`);
}

/** Runs one client job against the service and parses its output. */
export async function runClient(handle: ServiceHandle, recipe: Recipe & { timeout_s: number; concurrency: number }, ctx: BackendContext, image?: ServiceImage): Promise<ClientRunResult> {
  const kind = must(clientKindFor(recipe.kind));
  const runtime = runtimeOf(recipe, kind);
  // Labelled with the service's tag: undeploying the service removes a container a killed client left.
  // The tag is also the token in the job's file names (a handle from before tags gets a fresh one).
  const token = handle.tag ?? newContainerTag();
  const container = containerFor(runtime, `client ${kind.kind}`, handle.cluster, image, newContainerTag(), token, recipe.resources.memory_mib);
  const script = renderJobScript({ role: 'client', token, label: `client ${kind.kind} of ${handle.recipe}, concurrency ${recipe.concurrency} (${runtime})`, env: recipe.env ?? {}, body: kind.renderScript(recipe, handle.endpoint), ...(container ? { container } : {}) });
  return withRemote(handle.cluster, ctx, async (remote) => {
    await serviceAlive(remote, handle, 'before the client started');
    const jobId = await submitJob(remote, jobSbatchArgv({ role: 'client', token, name: serviceJobName('client', handle.recipe), resources: recipe.resources }), script);
    ctx.log.info(`client ${kind.kind}: SLURM job ${jobId} submitted (concurrency ${recipe.concurrency}, output in ${jobFiles('client', token, jobId).output} on its node)`);
    let node = '';
    try {
      // Queue time counts against the recipe's SLURM limit, the run itself against timeout_s.
      const deadline = Date.now() + (recipe.resources.time_min * 60 + recipe.timeout_s + 30) * 1000;
      const s = await waitForJob(remote, jobId, (x) => {
        if (x.node) node = x.node;
        return false;
      }, deadline);
      node = s?.node || node;
      const host = hostOfNode(handle.cluster.hosts, node);
      if (!s || s.state !== 'COMPLETED') {
        // A client usually fails because its service went away: say so first when it did.
        const died = await serviceAlive(remote, handle, 'after the client failed').then(() => '', (e: Error) => `${e.message}; `);
        const output = await outputBlock(remote, host, 'client', token, jobId);
        if (host) await removeJobFiles(remote, host, 'client', token, jobId).catch(() => undefined);
        throw new ServiceJobError(`${died}client ${kind.kind}: SLURM job ${jobId} ended ${s ? `${s.state} ${s.reason}` : 'without a state'}${output}`);
      }
      const output = host ? await readJobOutput(remote, host, 'client', token, jobId) : '';
      if (host) await removeJobFiles(remote, host, 'client', token, jobId);
      const rows = kind.parseOutput(output, recipe);
      if (typeof rows === 'string') throw new ServiceJobError(`client ${kind.kind}: ${rows}\n--- output of SLURM job ${jobId} ---\n${output.slice(-8192)}`);
      await serviceAlive(remote, handle, 'after the client ran');
      return { jobId, node, rows, output, granularity: kind.granularity, runtime, ...(container ? { image: container.image } : {}) };
    } catch (e) {
      if (!(e instanceof ServiceJobError)) await withRemote(handle.cluster, ctx, (r) => cancelJob(r, jobId), new AbortController().signal).catch(() => undefined);
      throw e;
    }
  });
}
