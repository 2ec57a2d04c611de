/**
 * The SLURM executor against local execution, same simulator sweep, same invocation: each run
 * gets a fresh copy of the project (empty cache), runs `report:pareto` once locally and once with
 * `executor=slurm executor.provider=netns` (the CLI brings the netns cluster up and takes it down;
 * on failure or interrupt this script also clears whatever the run left in its netns state dir).
 * Prints throughput (remote tasks per second), the wall-clock overhead per task of the SLURM run
 * against the local one, and the coordinator's own cost per task by phase (staging, job
 * directory, sbatch, collection) from the executor's summary line. Then a model of a large sweep
 * on a large cluster from those figures and a measured SQLite commit rate.
 * Needs root, iproute2, openssh-server, munge and slurm-wlm, and `npm run build` first.
 * Usage: npm run bench:executor [-- --points=100,500 --runs=1 --window=200 --batch=8 --summary=<line> --sftp-summary=<line of an SFTP run>]
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { cleanupNetnsLeftovers } from '../src/hpc/backends/netns/netns-provider.js';

const REPO = resolve(import.meta.dirname, '..');

/** `--name=value`. */
function arg(name: string, dflt: string): string {
  return process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
}
/** Sweep sizes in points (3 schedulers × repetitions; 2 remote tasks per point). */
const pointCounts = arg('points', '100').split(',').map(Number).filter((n) => n > 0);
const runs = Math.max(1, Number(arg('runs', '1')) || 1);
const windowMs = arg('window', '');
/** executor.batch_max: tasks per array element (one Node process) at most; 1 gives a process per task. */
const batchMax = arg('batch', '');
/** An executor summary line from an earlier run: skip the sweeps and model from it. */
const givenSummary = arg('summary', '');
/** The summary line of a run over SFTP (executor.provider=ssh, no shared_dir): its measured transfer costs enter the model. */
const sftpSummary = arg('sftp-summary', '');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] ?? 0 : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const abort = new AbortController();
let child: ReturnType<typeof spawn> | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    abort.abort();
    // The CLI takes its cluster down on SIGINT; the finally blocks below clear what it could not.
    child?.kill('SIGINT');
  });
}

/** A throwaway project: the benchfile, tasks and conf, `bench` resolving to this checkout. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-executor-'));
  for (const p of ['benchfile.ts', 'tasks', 'conf']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'bench'));
  return dir;
}

/** Runs the CLI in `dir`; resolves with its wall time and output, rejects on a non-zero exit. */
function bench(dir: string, args: string[]): Promise<{ seconds: number; out: string }> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    let out = '';
    child = spawn(process.execPath, [join(REPO, 'bin', 'bench.js'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => {
      child = undefined;
      const seconds = (performance.now() - t0) / 1000;
      // The failed tasks' lines (with their remote stderr) come early in the output; show them, then the end.
      const lines = out.split('\n');
      const failures = lines.flatMap((l, i) => (l.includes('✗') ? lines.slice(i, i + 12) : [])).slice(0, 60);
      if (code !== 0) fail(new Error(`bench ${args.join(' ')} exited ${String(code)}:\n${failures.join('\n')}\n…\n${out.split('\n').slice(-30).join('\n')}`));
      else ok({ seconds, out });
    });
  });
}

interface Summary { tasks: number; arrays: number; elements: number; upS: number; stagingS: number; jobDirMs: number; sbatchMs: number; collectMs: number; inSlurmS: number }

/** The executor's summary line (slurm-executor.ts) as numbers. */
function parseSummary(out: string): Summary {
  const m = /(\d+) tasks in (\d+) job arrays; cluster up ([\d.]+) s, staging ([\d.]+) s; per task: job dir ([\d.]+) ms, sbatch ([\d.]+) ms, collection ([\d.]+) ms; submitted to ended ([\d.]+) s/.exec(out);
  if (!m) throw new Error(`no executor summary line in the output:\n${out.split('\n').slice(-20).join('\n')}`);
  const n = m.slice(1).map(Number);
  // Array elements (one Node process each) are counted since elements run several tasks; before, one per task.
  const elements = Number(/(\d+) array elements/.exec(out)?.[1] ?? n[0] ?? 0);
  return { tasks: n[0] ?? 0, arrays: n[1] ?? 0, elements, upS: n[2] ?? 0, stagingS: n[3] ?? 0, jobDirMs: n[4] ?? 0, sbatchMs: n[5] ?? 0, collectMs: n[6] ?? 0, inSlurmS: n[7] ?? 0 };
}

interface Sample { localS: number; slurmS: number; s: Summary }

/** One local and one SLURM run of a sweep of `points` points, each in a fresh project. */
async function sample(points: number, i: number): Promise<Sample> {
  const reps = Math.max(1, Math.round(points / 3));
  const sweep = ['report:pareto', 'experiment=none', 'scheduler=flux,slurm,kubernetes', `repetitions=${reps}`];
  const local = project();
  const remote = project();
  try {
    const l = await bench(local, sweep);
    const exec = ['executor=slurm', 'executor.provider=netns', 'executor.hosts=3', 'executor.subnet=10.95.0.0/24', 'executor.bridge=bxbe0',
      ...(windowMs ? [`executor.array_window_ms=${windowMs}`] : []), ...(batchMax ? [`executor.batch_max=${batchMax}`] : [])];
    const r = await bench(remote, [...sweep, ...exec]);
    const s = parseSummary(r.out);
    console.log(`  run ${i + 1}: local ${l.seconds.toFixed(1)} s, SLURM ${r.seconds.toFixed(1)} s, ${s.tasks} tasks in ${s.arrays} arrays, ${s.elements} processes (load ${loadavg()[0]?.toFixed(1)})`);
    return { localS: l.seconds, slurmS: r.seconds, s };
  } finally {
    await cleanupNetnsLeftovers({ state_dir: join(remote, 'cache', 'netns') }).catch(() => 0);
    for (const d of [local, remote]) rmSync(d, { recursive: true, force: true });
  }
}

/** Single-row commits per second into a WAL SQLite file with the cache's pragmas (one transaction each). */
function sqliteCommitRate(): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-executor-db-'));
  try {
    const db = new Database(join(dir, 'c.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    const one = db.transaction((k: string) => ins.run(k, 'x'.repeat(400)));
    const n = 3000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) one(`k${i}`);
    const rate = n / ((performance.now() - t0) / 1000);
    db.close();
    return rate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ModelInput { tasks: number; nodes: number; coresPerNode: number; taskS: number; arrayMax: number; maxInFlight: number; measured: Summary; commitsPerS: number; statMs: number; transferMs?: number }

/**
 * What a sweep of `tasks` tasks of `taskS` seconds each costs on `nodes` nodes, if the coordinator
 * pays per task what it paid here (job dir, collection), per sbatch what one array cost here (with
 * full arrays), one SQLite commit per task, and one exit-file stat per 200 ms of each task's life.
 * The coordinator's work is serial (one Node process); the cluster's is spread over its cores.
 */
function modelSweep(m: ModelInput): Record<string, number> {
  const perArrayMs = (m.measured.sbatchMs * m.measured.tasks) / Math.max(1, m.measured.arrays);
  const inFlight = Math.min(m.maxInFlight, m.nodes * m.coresPerNode);
  const coordMs = {
    jobDirMs: m.measured.jobDirMs, sbatchMs: perArrayMs / m.arrayMax, collectMs: m.measured.collectMs + (m.transferMs ?? 0),
    commitMs: 1000 / m.commitsPerS, pollMs: (m.taskS / 0.2) * m.statMs,
  };
  const serialMs = Object.values(coordMs).reduce((a, b) => a + b, 0);
  const coordRate = 1000 / serialMs;
  const clusterRate = inFlight / m.taskS;
  const rate = Math.min(coordRate, clusterRate);
  return { perArrayMs, inFlight, ...coordMs, coordRate, clusterRate, rate, hours: m.tasks / rate / 3600, sbatchPerS: rate / m.arrayMax };
}

function printModel(label: string, r: Record<string, number>): void {
  const f = (k: string, d = 1): string => (r[k] ?? 0).toFixed(d);
  console.log(`  ${label}: coordinator per task job dir ${f('jobDirMs')} + sbatch ${f('sbatchMs', 2)} (${f('perArrayMs', 0)} ms per array) + collection ${f('collectMs')} + commit ${f('commitMs', 2)} + exit polls ${f('pollMs', 2)} ms ` +
    `-> at most ${f('coordRate', 0)} tasks/s; the cluster (${f('inFlight', 0)} in flight) ${f('clusterRate', 0)} tasks/s; ` +
    `sweep ${f('hours', 2)} h at ${f('rate', 0)} tasks/s, ${f('sbatchPerS', 2)} sbatch/s`);
}

/** Milliseconds per stat() of a missing file, as the exit-file poll does for every task in flight. */
function statMs(): number {
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) existsSync(join(tmpdir(), `bench-executor-missing-${i}`, 'exit'));
  return (performance.now() - t0) / n;
}

async function main(): Promise<void> {
  console.log(`bench:executor — ${givenSummary ? 'model from the given summary' : `${pointCounts.join(', ')} points, ${runs} run(s) each`}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on this machine`);
  let last: Summary | undefined;
  if (givenSummary) last = parseSummary(givenSummary);
  for (const points of givenSummary ? [] : pointCounts) {
    console.log(`sweep of ~${points} points (${2 * Math.max(1, Math.round(points / 3)) * 3} remote tasks):`);
    const samples: Sample[] = [];
    for (let i = 0; i < runs && !abort.signal.aborted; i++) samples.push(await sample(points, i));
    const n = samples[0]?.s.tasks ?? 1;
    const med = (f: (x: Sample) => number): number => median(samples.map(f));
    const localS = med((x) => x.localS);
    const slurmS = med((x) => x.slurmS);
    console.log(`  throughput: local ${(n / localS).toFixed(2)} tasks/s, SLURM ${(n / slurmS).toFixed(2)} tasks/s (${(slurmS / localS).toFixed(1)}× the wall time)`);
    console.log(`  overhead per task (SLURM wall − local wall) / tasks: ${((slurmS - localS) / n).toFixed(3)} s (goal ≤ 0.2 s at 1,000 tasks)`);
    console.log(`  coordinator per task (medians): staging ${((med((x) => x.s.stagingS) * 1000) / n).toFixed(1)} ms (${med((x) => x.s.stagingS).toFixed(1)} s once), ` +
      `job dir ${med((x) => x.s.jobDirMs).toFixed(1)} ms, sbatch ${med((x) => x.s.sbatchMs).toFixed(1)} ms, collection ${med((x) => x.s.collectMs).toFixed(1)} ms; ` +
      `${(n / Math.max(1, med((x) => x.s.arrays))).toFixed(1)} tasks per array, ${(n / Math.max(1, med((x) => x.s.elements))).toFixed(1)} per process; cluster up ${med((x) => x.s.upS).toFixed(1)} s; submitted→ended ${med((x) => x.s.inSlurmS).toFixed(1)} s median`);
    last = samples[samples.length - 1]?.s;
  }
  const commits = sqliteCommitRate();
  console.log(`SQLite: ${commits.toFixed(0)} single-row commits/s (WAL, synchronous=NORMAL) on this machine`);
  const stat = statMs();
  console.log(`exit-file poll: ${(stat * 1000).toFixed(1)} µs per stat on a local filesystem`);
  if (!last) return;
  console.log('model: 100,000 tasks of 2 s on 1,000 nodes × 32 cores, per-task costs as measured above:');
  const base = { tasks: 100_000, nodes: 1000, coresPerNode: 32, taskS: 2, measured: last, commitsPerS: commits };
  printModel('today (max_in_flight 64, array_max 100, local stat)', modelSweep({ ...base, arrayMax: 100, maxInFlight: 64, statMs: stat }));
  printModel('max_in_flight 32,000, array_max 1,000, local stat', modelSweep({ ...base, arrayMax: 1000, maxInFlight: 32_000, statMs: stat }));
  printModel('same, exit files on NFS (0.5 ms per stat over NFS, assumed)', modelSweep({ ...base, arrayMax: 1000, maxInFlight: 32_000, statMs: 0.5 }));
  // No shared filesystem: spec up, outputs and manifest down, exit file read: ~4 SSH round trips
  // of 33.5 ms (bench:slurm's pooled SSH exec), 8 channels at once.
  printModel('same, SFTP instead of a shared filesystem (4 × 33.5 ms round trips, 8 at once, assumed)', modelSweep({ ...base, arrayMax: 1000, maxInFlight: 32_000, statMs: 33.5 / 8, transferMs: (4 * 33.5) / 8 }));
  if (sftpSummary) {
    // As built: job files go up as one tar per array (its cost, `sending`, is per array, so it
    // shrinks with full arrays like sbatch), each task's results come back as one tar (in the
    // measured collection), and one command a second reads every live job's exit file.
    const sftp = parseSummary(sftpSummary);
    const sendingMs = Number(/sending ([\d.]+) ms/.exec(sftpSummary)?.[1] ?? 0);
    const perArraySend = (sendingMs * sftp.tasks) / Math.max(1, sftp.arrays);
    const pollRoundTripMs = 33.5;
    // A collection over SFTP is mostly waiting on SSH round trips, and the pool runs 8 channels
    // at once per connection: the coordinator's serial share is an eighth of its wall time.
    const channels = 8;
    printModel(`same, SFTP as built (measured: collection ${sftp.collectMs} ms/task with its download, ${channels} at once, ${perArraySend.toFixed(0)} ms per array sent; one exit-file read a second for all tasks)`,
      modelSweep({ ...base, measured: { ...last, collectMs: sftp.collectMs / channels }, arrayMax: 1000, maxInFlight: 32_000, statMs: (pollRoundTripMs * 0.2) / 32_000, transferMs: perArraySend / 1000 }));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
