/**
 * RLScheduler's trace-study table (Zhang et al., SC 2020): mean bounded slowdown over 10 windows
 * of 1,024 jobs of Lublin-1 and Lublin-2, on each trace's machine from its header, with the spread
 * over windows. `--policy=fcfs|easy|conservative` (fcfs by default: the published "without
 * backfilling" FCFS column is 7273.77 and 7842.47), `--reservation=pool|nodes`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimPolicy } from '../src/hpc/sim/simulate.js';
import { RLSCHEDULER_WINDOW_STARTS, studyTraceWindows } from '../src/hpc/sim/trace-study.js';

const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
const policy: SimPolicy = {
  queue: arg('policy', 'fcfs') as SimPolicy['queue'], reservation: arg('reservation', 'pool') as 'pool' | 'nodes',
  priority: { order: 'fcfs' }, placement: 'first-fit', backfillDepth: Infinity,
};
const dir = fileURLToPath(new URL('../data/traces/rlscheduler-lublin256/', import.meta.url));
console.log(`policy ${policy.queue}, ${policy.reservation} reservations; 10 windows of 1,024 jobs; bsld bound 10 s; estimates = runtimes`);
console.log('trace      mean bsld      sd        min        max   windows (start: bsld)');
for (const [name, file] of [['Lublin-1', 'lublin_256.swf'], ['Lublin-2', 'lublin_256_new2.swf']] as const) {
  const s = studyTraceWindows({ text: readFileSync(dir + file, 'utf8'), file, starts: RLSCHEDULER_WINDOW_STARTS, length: 1024, policy });
  const f = (x: number) => x.toFixed(2).padStart(9);
  console.log(`${name}  ${f(s.mean)} ${f(s.sd)} ${f(s.min)} ${f(s.max)}   ${s.windows.map((w) => `${w.start}: ${w.bsld.toFixed(1)}`).join(', ')}`);
}
