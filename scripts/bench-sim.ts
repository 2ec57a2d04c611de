/**
 * Simulator throughput: FCFS, EASY and conservative backfilling on 100,000 jobs — the two
 * Lublin-256 traces concatenated five times, each copy shifted after the previous one — on 256
 * one-core nodes, with pooled reservations (the literature's processor model) and, for the two
 * backfilling policies, node reservations too. Prints jobs per second as the median of several
 * runs, by wall clock and by the process's CPU time (on a shared machine the wall clock mostly
 * measures the other processes; CPU time is close to what an idle core would give).
 *
 * `--runs=N` sets the number of runs. `--against=REV` also runs the simulator as it was at git
 * revision REV (its `src/hpc/sim` taken with `git archive` into a temporary directory), the two
 * interleaved run by run, checks that both give the same start times, and prints the median of
 * the per-run speed ratios — a figure the machine's load mostly cancels out of.
 * `--only=fcfs/pool,easy/nodes` picks variants.
 *
 * What is timed: one `simulate()` call on jobs already parsed — everything a user's run pays for
 * inside the simulator (its indexes, the event loop, the job records and the series it returns),
 * and nothing before or after it (reading and parsing the SWF files, laying the copies end to
 * end, writing tables). The medians are over `--runs` calls in one process, most of them on
 * compiled code; CPU time includes the garbage collector's and compiler's helper threads.
 * `first call` is each variant's one call in a fresh process, compiled as it goes, as a sweep
 * point's single run is.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { simulate, type SimPolicy } from '../src/hpc/sim/simulate.js';
import { repeatTraces } from '../src/hpc/workload/repeat-traces.js';
import { parseSwf } from '../src/hpc/workload/swf.js';

type Simulate = typeof simulate;
type Variant = [SimPolicy['queue'], 'pool' | 'nodes'];
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(arg('runs') ?? 5);
const against = arg('against');
const only = arg('only')?.split(',');
const coldOne = arg('first-call');
const root = fileURLToPath(new URL('../', import.meta.url));
const dir = join(root, 'data/traces/rlscheduler-lublin256/');
const traces = ['lublin_256.swf', 'lublin_256_new2.swf'].map((f) => parseSwf(readFileSync(dir + f, 'utf8'), { file: f }).jobs);

const jobs = repeatTraces(traces, 5);
const nodes = Array.from({ length: 256 }, () => ({ cores: 1, gpus: 0 }));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The simulator at a git revision, imported from a temporary copy of its folder. */
async function simulatorAt(rev: string): Promise<{ simulate: Simulate; cleanup: () => void }> {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-sim-'));
  const tar = execFileSync('git', ['-C', root, 'archive', rev, 'src/hpc/sim', 'src/hpc/workload/job.ts'], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', tmp], { input: tar });
  const mod = (await import(pathToFileURL(join(tmp, 'src/hpc/sim/simulate.ts')).href)) as { simulate: Simulate };
  return { simulate: mod.simulate, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

interface Timing {
  wall: number;
  cpu: number;
  starts: Float64Array;
  backfilled: number;
}

function timeOne(sim: Simulate, policy: SimPolicy): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = sim(jobs, nodes, policy);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6, starts: startsOf(r.jobs), backfilled: r.backfilled };
}

/** Start times from the records: columns now, an array of objects at older revisions. */
function startsOf(jobs: ReturnType<Simulate>['jobs'] | readonly { start: number }[]): Float64Array {
  return Array.isArray(jobs) ? Float64Array.from(jobs as readonly { start: number }[], (j) => j.start) : (jobs as ReturnType<Simulate>['jobs']).start.slice();
}

const rate = (s: number) => `${Math.round(jobs.length / s).toLocaleString('en').padStart(9)} jobs/s`;
const policyOf = ([queue, reservation]: Variant): SimPolicy => ({ queue, reservation, priority: { order: 'fcfs' }, placement: 'first-fit', backfillDepth: 500 });

/** The wall time of a variant's first simulate() call in a fresh process (this script with --first-call). */
function firstCall(name: string): number {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--first-call=${name}`], { encoding: 'utf8' });
  return Number(out.trim());
}

if (coldOne) {
  const [queue, reservation] = coldOne.split('/') as Variant;
  console.log(timeOne(simulate, policyOf([queue, reservation])).wall);
  process.exit(0);
}
const base = against ? await simulatorAt(against) : undefined;
console.log(`${jobs.length} jobs on ${nodes.length} one-core nodes, ${runs} runs each${against ? `, interleaved with the simulator at ${against}` : ''}; medians`);
const variants: Variant[] = [['fcfs', 'pool'], ['easy', 'pool'], ['conservative', 'pool'], ['easy', 'nodes'], ['conservative', 'nodes']];
for (const [queue, reservation] of variants) {
  const name = `${queue}/${reservation}`;
  if (only && !only.includes(name)) continue;
  const policy = policyOf([queue, reservation]);
  const now: Timing[] = [];
  const old: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always runs on a warmer heap.
    if (base && i % 2 === 1) old.push(timeOne(base.simulate, policy));
    now.push(timeOne(simulate, policy));
    if (base && i % 2 === 0) old.push(timeOne(base.simulate, policy));
  }
  const last = now[now.length - 1] as Timing;
  const wall = median(now.map((t) => t.wall));
  const cpu = median(now.map((t) => t.cpu));
  const first = firstCall(name);
  console.log(`${name.padEnd(18)} wall ${wall.toFixed(2)} s ${rate(wall)}   cpu ${cpu.toFixed(2)} s ${rate(cpu)}   first call ${first.toFixed(2)} s ${rate(first)}   (${last.backfilled} backfilled)`);
  if (base) {
    const same = old.every((o) => o.starts.length === last.starts.length && o.starts.every((s, k) => s === last.starts[k]));
    const ratio = (f: (t: Timing) => number) => median(now.map((t, k) => f(old[k] as Timing) / f(t))).toFixed(2);
    const oldCpu = median(old.map((t) => t.cpu));
    console.log(`${''.padEnd(18)} at ${against}: cpu ${oldCpu.toFixed(2)} s ${rate(oldCpu)}; speed-up ${ratio((t) => t.wall)}x wall, ${ratio((t) => t.cpu)}x cpu; same start times: ${same ? 'yes' : 'NO'}`);
  }
}
base?.cleanup();
