/**
 * `track:mlflow` against a real MLflow server (PyPI's `mlflow`, in a virtualenv `.ci/run` creates):
 * a 2×2 sweep with 2 repetitions, read back through MLflow's own Python client — not our code —
 * then a rerun (adds nothing), an edited config value (adds the runs that reran), a server that is
 * down (skipped, said why) and `tracking.required` (exit 1, nothing else lost).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './engine-project.js';
import { eventually, until } from '../support/wait.js';
import { copyProject } from '../support/bench-project.js';

/** The virtualenv holding `mlflow` (see .ci/run); override with BENCH_MLFLOW_VENV. */
const VENV = process.env['BENCH_MLFLOW_VENV'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'bench', 'mlflow-venv');
const MLFLOW = join(VENV, 'bin', 'mlflow');
const PYTHON = join(VENV, 'bin', 'python');
const available = existsSync(MLFLOW) && existsSync(PYTHON);
if (!available && process.env['CI'] === 'true') {
  throw new Error(`${MLFLOW} is missing; CI must test tracking against a real MLflow server (.ci/run creates the virtualenv)`);
}

const EXPERIMENT = 'bench-it';
const SWEEP = ['experiment=none', 'topology=tiny', 'scheduler=slurm,flux', 'workload=short,mixed', 'repetitions=2'];

/** Reads everything back with MLflow's Python client, and each run's metrics.arrow from the cache with pyarrow. */
const READBACK = `
import glob, json, sys
import mlflow, pyarrow.ipc as ipc
from mlflow import MlflowClient
uri, experiment, store = sys.argv[1:4]
mlflow.set_tracking_uri(uri)
client = MlflowClient()
df = mlflow.search_runs(experiment_names=[experiment], output_format="list")
runs = []
for r in df:
    d = r.data
    hist = {k: [[m.step, m.timestamp, m.value] for m in client.get_metric_history(r.info.run_id, k)] for k in d.metrics if k.startswith("series.")}
    runs.append({"id": r.info.run_id, "status": r.info.status, "params": d.params, "metrics": d.metrics, "tags": d.tags,
                 "histories": hist, "artifacts": sorted(a.path for a in client.list_artifacts(r.info.run_id))})
stored = []
for f in glob.glob(store + "/**/metrics.arrow", recursive=True):
    t = ipc.open_file(f).read_all()
    if "rep" not in t.column_names: continue
    row = t.to_pylist()[0]
    stored.append(row)
print(json.dumps({"runs": runs, "stored": stored}))
`;

interface Readback {
  runs: { id: string; status: string; params: Record<string, string>; metrics: Record<string, number>; tags: Record<string, string>; histories: Record<string, [number, number, number][]>; artifacts: string[] }[];
  stored: Record<string, unknown>[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe.skipIf(!available)(`tracking in a real MLflow server${available ? '' : ` (skipped: ${MLFLOW} not found; create it as .ci/run does)`}`, () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let uri = '';
  const bench = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const tracked = (extra: string[] = []) => bench(['report:pareto', ...SWEEP, 'tracking=mlflow', `tracking.uri=${uri}`, `tracking.experiment=${EXPERIMENT}`, ...extra]);
  const readback = (): Readback => {
    const r = spawnSync(PYTHON, [join(dir, 'readback.py'), uri, EXPERIMENT, join(dir, 'cache')], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`readback failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Readback;
  };
  const experimentId = async (): Promise<string> => {
    const res = await fetch(`${uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${EXPERIMENT}`);
    return ((await res.json()) as { experiment: { experiment_id: string } }).experiment.experiment_id;
  };
  const children = (rb: Readback) => rb.runs.filter((r) => r.tags['bench.kind'] === 'point');
  const parents = (rb: Readback) => rb.runs.filter((r) => r.tags['bench.kind'] === 'sweep');

  beforeAll(async () => {
    dir = copyProject('bench-mlflow-');
    writeFileSync(join(dir, 'readback.py'), READBACK);
    // A git checkout, so runs carry the project's commit.
    const git = (...a: string[]) => spawnSync('git', a, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', 'benchfile.ts', 'tasks', 'conf');
    git('-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-qm', 'project');
    const port = await freePort();
    uri = `http://127.0.0.1:${port}`;
    mkdirSync(join(dir, 'mlflow'));
    // Its own session and process group (detached: setsid), so that stopping it stops its uvicorn
    // worker too; without the background job runner (GenAI jobs: four more processes on a 2-core
    // machine, unused here).
    server = spawn(MLFLOW, ['server', '--host', '127.0.0.1', '--port', String(port), '--workers', '1',
      '--backend-store-uri', `sqlite:///${join(dir, 'mlflow', 'mlflow.db')}`, '--artifacts-destination', join(dir, 'mlflow', 'artifacts')], {
      stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' },
    });
    let log = '';
    server.stderr?.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
    let healthy = false;
    const poll = async (): Promise<void> => {
      try {
        healthy = (await fetch(`${uri}/health`, { signal: AbortSignal.timeout(2000) })).ok;
      } catch {
        healthy = false;
      }
    };
    // Start-up creates the SQLite schema (dozens of migrations): about a minute on a busy 2-core machine.
    await until('mlflow server /health', () => {
      if (server?.exitCode !== null) throw new Error(`mlflow server exited: ${log}`);
      void poll();
      return healthy ? true : undefined;
    }, 240_000, 500).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${log}`);
    });
  }, 300_000);

  afterAll(async () => {
    const pgid = server?.pid;
    if (pgid) {
      const alive = () => spawnSync('ps', ['-o', 'pid=', '-s', String(pgid)], { encoding: 'utf8' }).stdout.trim() !== '';
      if (alive()) process.kill(-pgid, 'SIGTERM');
      if (!(await eventually(() => !alive(), 20_000))) process.kill(-pgid, 'SIGKILL');
      expect(await eventually(() => !alive(), 10_000), 'mlflow server processes left running').toBe(true);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('logs 1 parent run and 8 child runs with params, metrics, histories, tags and artifacts', () => {
    const r = tracked();
    expect(r.out).toMatch(/8 runs logged, 0 already there/);
    expect(r.code).toBe(0);
    const rb = readback();
    expect(parents(rb)).toHaveLength(1);
    const kids = children(rb);
    expect(kids).toHaveLength(8);
    const parent = parents(rb)[0]!;
    expect(parent.status).toBe('FINISHED');
    expect(parent.artifacts).toEqual(['front.txt', 'metrics.arrow', 'report.html']);
    const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    const ids = kids.map((k) => k.tags['bench.point_id']).sort();
    expect(ids).toEqual(['tiny-flux-mixed-r0', 'tiny-flux-mixed-r1', 'tiny-flux-short-r0', 'tiny-flux-short-r1', 'tiny-slurm-mixed-r0', 'tiny-slurm-mixed-r1', 'tiny-slurm-short-r0', 'tiny-slurm-short-r1']);
    for (const k of kids) {
      const id = k.tags['bench.point_id'] as string;
      const [, scheduler, workload] = id.split('-');
      expect(k.status).toBe('FINISHED');
      expect(k.tags['mlflow.parentRunId']).toBe(parent.id);
      expect(k.tags['mlflow.source.git.commit']).toBe(commit);
      expect(k.tags['bench.provider']).toBe('sim');
      expect(k.tags['bench.execution']).toBe('simulated');
      expect(k.tags['bench.fingerprint']).toMatch(/^[0-9a-f]{64}$/);
      expect(k.params).toMatchObject({ scheduler, workload, topology: 'tiny', rep: id.slice(-1), 'scheduler.kind': scheduler, 'topology.name': 'tiny' });
      // Metrics equal the run's metrics.arrow in the cache, every metric column.
      const stored = rb.stored.find((s) => s['point_id'] === id && s['config_hash'] === k.tags['bench.config_hash']);
      expect(stored, `metrics.arrow of ${id}`).toBeDefined();
      for (const [m, v] of Object.entries(stored ?? {})) {
        if (typeof v === 'number' && !['rep'].includes(m)) expect(k.metrics[m], m).toBe(v);
      }
      expect(k.metrics['makespan']).toBeGreaterThan(0);
      for (const key of ['series.queued_jobs', 'series.busy_cores']) {
        const h = k.histories[key] ?? [];
        expect(h.length, key).toBeGreaterThan(1);
        expect(h.map(([step]) => step)).toEqual([...h.map(([step]) => step)].sort((a, b) => a - b));
      }
      expect(k.artifacts).toEqual(['config.yaml', 'jobs.arrow', 'jobs.parquet', 'metrics.arrow', 'run.json']);
    }
  }, 300_000);

  it('adds nothing on a second invocation', () => {
    const r = tracked();
    expect(r.code).toBe(0);
    const rb = readback();
    expect(parents(rb)).toHaveLength(1);
    expect(children(rb)).toHaveLength(8);
  }, 300_000);

  it('after an edited config value adds exactly the runs of the points that reran, and keeps the old ones', () => {
    const file = join(dir, 'conf', 'workload', 'short.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^jobs: 12$/m, 'jobs: 14'));
    const r = tracked();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/4 runs logged, 4 already there/);
    const rb = readback();
    expect(parents(rb)).toHaveLength(1);
    const kids = children(rb);
    expect(kids).toHaveLength(12);
    const short = kids.filter((k) => k.params['workload'] === 'short');
    expect(short.map((k) => k.params['workload.jobs']).sort()).toEqual(['12', '12', '12', '12', '14', '14', '14', '14']);
    expect(kids.filter((k) => k.params['workload'] === 'mixed')).toHaveLength(4);
  }, 300_000);

  it('after a kill -9 in the middle of an export, the next run completes it without duplicates', async () => {
    type Found = { data: { tags?: { key: string; value: string }[] } }[];
    const search = async (): Promise<Found> => {
      const res = await fetch(`${uri}/api/2.0/mlflow/runs/search`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ experiment_ids: [(await experimentId())], filter: "tags.`bench.kind` = 'point'", max_results: 1000 }),
      });
      return ((await res.json()) as { runs?: Found }).runs ?? [];
    };
    // uvicorn may close a kept-alive connection as it is reused; a lost answer is asked again.
    const pointRuns = (): Promise<Found> => search().catch(() => search()).catch(() => search());
    const before = (await pointRuns()).length;
    const args = ['track:mlflow', ...SWEEP, 'seed=5', 'tracking=mlflow', `tracking.uri=${uri}`, `tracking.experiment=${EXPERIMENT}`];
    const child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    // Killed as soon as the export has created its first run: the other seven are still to come.
    let seen = 0;
    await until('the export to create a run', () => (seen > before ? true : (void pointRuns().then((r) => (seen = r.length)), undefined)), 240_000, 200);
    process.kill(child.pid as number, 'SIGKILL');
    await exited;
    const complete = (await pointRuns()).filter((r) => r.data.tags?.some((t) => t.key === 'bench.complete')).length;
    expect(complete - before, 'killed before the export finished').toBeLessThan(8);
    const r = tracked(['seed=5']);
    expect(r.code).toBe(0);
    const kids = children(readback()).filter((k) => k.params['seed'] === '5');
    expect(kids).toHaveLength(8);
    expect(new Set(kids.map((k) => k.tags['bench.point_id'])).size).toBe(8);
    for (const k of kids) {
      expect(k.status).toBe('FINISHED');
      expect(k.tags['bench.complete']).toBe('true');
      expect(k.artifacts).toContain('jobs.parquet');
    }
  }, 300_000);

  it('with the server down, completes and says tracking was skipped and why', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const r = bench(['track:mlflow', ...SWEEP, 'seed=7', 'tracking=mlflow', `tracking.uri=${down}`], { BENCH_MLFLOW_ATTEMPTS: '2' });
    expect(r.out).toMatch(/MLflow tracking skipped: MLflow server at http:\/\/127\.0\.0\.1:\d+ unreachable after 2 attempts \(ECONNREFUSED\)/);
    expect(r.code).toBe(0);
  }, 300_000);

  it('with tracking.required, fails with exit 1 and keeps every other result', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const r = bench(['track:mlflow', ...SWEEP, 'seed=11', 'tracking=mlflow', `tracking.uri=${down}`, 'tracking.required=true'], { BENCH_MLFLOW_ATTEMPTS: '2' });
    expect(r.out).toMatch(/tracking\.required is true.*ECONNREFUSED/);
    expect(r.out).toMatch(/\d+ ran, \d+ up to date, 1 failed/);
    expect(r.code).toBe(1);
    // Everything but the export was committed: the report is up to date (tracking off, so the
    // export does not follow the report this time; no other task reads the tracking config).
    const again = bench(['report:pareto', ...SWEEP, 'seed=11', 'tracking=none']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/done: 0 ran, \d+ up to date, 0 failed/);
  }, 300_000);
});
