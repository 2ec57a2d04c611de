/** RLScheduler's published FCFS column (Table V, without backfilling), reproduced to the hundredth. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RLSCHEDULER_WINDOW_STARTS, studyTraceWindows } from '../../../../src/hpc/sim/trace-study.js';

const dir = fileURLToPath(new URL('../../../../data/traces/rlscheduler-lublin256/', import.meta.url));

describe('trace windows as in the literature', () => {
  it.each([['lublin_256.swf', '7273.77'], ['lublin_256_new2.swf', '7842.47']])('%s: FCFS mean bsld over 10 windows of 1,024 jobs is %s', (file, published) => {
    const s = studyTraceWindows({
      text: readFileSync(dir + file, 'utf8'), file, starts: RLSCHEDULER_WINDOW_STARTS, length: 1024,
      policy: { queue: 'fcfs', reservation: 'pool', priority: { order: 'fcfs' }, placement: 'first-fit', backfillDepth: Infinity },
    });
    expect(s.windows.map((w) => w.jobs)).toEqual(new Array(10).fill(1024));
    expect(s.mean.toFixed(2)).toBe(published);
    expect(s.sd).toBeGreaterThan(0);
    expect(s.min).toBeLessThanOrEqual(s.mean);
  });
});
