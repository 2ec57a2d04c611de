/**
 * Simulator throughput: FCFS, EASY and conservative backfilling on 100,000 jobs — the two
 * Lublin-256 traces concatenated five times, each copy shifted after the previous one — on 256
 * one-core nodes, with pooled reservations (the literature's processor model) and, for the two
 * backfilling policies, node reservations too. Prints jobs per second as the median of several
 * runs. `--runs=N` sets the number of runs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { simulate, type SimPolicy } from '../src/hpc/sim/simulate.js';
import { repeatTraces } from '../src/hpc/workload/repeat-traces.js';
import { parseSwf } from '../src/hpc/workload/swf.js';

const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const dir = fileURLToPath(new URL('../data/traces/rlscheduler-lublin256/', import.meta.url));
const traces = ['lublin_256.swf', 'lublin_256_new2.swf'].map((f) => parseSwf(readFileSync(dir + f, 'utf8'), { file: f }).jobs);

const jobs = repeatTraces(traces, 5);
const nodes = Array.from({ length: 256 }, () => ({ cores: 1, gpus: 0 }));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

console.log(`${jobs.length} jobs on ${nodes.length} nodes, ${runs} runs each`);
const variants: [SimPolicy['queue'], 'pool' | 'nodes'][] = [['fcfs', 'pool'], ['easy', 'pool'], ['conservative', 'pool'], ['easy', 'nodes'], ['conservative', 'nodes']];
for (const [queue, reservation] of variants) {
  const policy: SimPolicy = { queue, reservation, priority: { order: 'fcfs' }, placement: 'first-fit', backfillDepth: 500 };
  const times: number[] = [];
  let backfilled = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = simulate(jobs, nodes, policy);
    times.push((performance.now() - t0) / 1000);
    backfilled = r.backfilled;
  }
  const m = median(times);
  console.log(`${`${queue}/${reservation}`.padEnd(18)} median ${m.toFixed(2)} s  ${Math.round(jobs.length / m).toLocaleString('en')} jobs/s  (min ${Math.min(...times).toFixed(2)} s, max ${Math.max(...times).toFixed(2)} s; ${backfilled} backfilled)`);
}
