import { describe, expect, it } from 'vitest';
import { dedupeWarnings, formatWarningSummary, warningCollector } from '../../../../src/engine/events/reporters/warning-summary.js';
import { progressBar, statusLine } from '../../../../src/engine/events/reporters/tty-reporter.js';

describe('warning summary', () => {
  it('lists a warning once, with the range of the numbers that vary and every task that said it', () => {
    const groups = dedupeWarnings([
      { text: '18 jobs asked for more than the small topology has (32 cores) and were clamped', source: 'a' },
      { text: '14 jobs asked for more than the small topology has (32 cores) and were clamped', source: 'b' },
      { text: 'key x: not modelled', source: 'a' },
    ]);
    expect(groups).toEqual([
      { text: '14–18 jobs asked for more than the small topology has (32 cores) and were clamped', taskIds: ['a', 'b'] },
      { text: 'key x: not modelled', taskIds: ['a'] },
    ]);
  });

  it('is printed from task-log warnings only', () => {
    const c = warningCollector();
    c.sink({ kind: 'task-log', at: 0, taskId: 'w[1]', level: 'warn', message: 'warning: 3 jobs clamped' });
    c.sink({ kind: 'task-log', at: 0, taskId: 'w[2]', level: 'warn', message: 'warning: 5 jobs clamped' });
    c.sink({ kind: 'task-log', at: 0, taskId: 'w[2]', level: 'info', message: 'hello' });
    expect(c.summary()).toEqual(['warnings (1 distinct, deduplicated):', '  2× 3–5 jobs clamped', '      from w[1], w[2]']);
    expect(formatWarningSummary([])).toEqual([]);
  });
});

describe('progress line', () => {
  it('shows a bar, counts and an ETA', () => {
    expect(progressBar(5, 20, 10)).toBe('[###.......]');
    const line = statusLine({ total: 20, done: 5, start: 0, ranMs: 10_000, ranCount: 5, running: new Set(['a', 'b']) }, 12_000);
    expect(line).toMatch(/^\[#####\.{15}\] 5\/20 done, 2 running, 13 queued {2}12\.0s ETA 15s {2}a, b$/);
  });
});
