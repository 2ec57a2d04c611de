/**
 * `report:trace-study`: the trace-study protocol of the scheduling literature in one number per
 * configuration. A sweep over `workload.skip` (experiment=trace_windows) runs one window per
 * point; this task groups the points that differ only in their window and gives, per group and
 * metric, the mean over windows with its spread: sample standard deviation and a 95 % confidence
 * interval by Student's t over windows. Repetitions of one window are averaged first, so each
 * window counts once.
 */
import { defineTask } from 'bench';
import type { SweepPoint } from 'bench';
import { metricsByPoint, writeJson } from './io.js';

/** The sweep key that picks a window; every other choice names the group. */
const WINDOW_KEY = 'workload.skip';
const SHOWN = ['bsld_mean', 'wait_mean', 'utilization'] as const;

/** One metric over windows. */
export interface WindowSpread {
  mean: number;
  /** Sample standard deviation over windows (0 for one window). */
  sd: number;
  /** 95 % confidence interval of the mean (Student's t, windows − 1 degrees of freedom); the mean itself for one window. */
  ci95: [number, number];
  min: number;
  max: number;
}

export interface TraceStudyGroup {
  /** The point's choices other than its window, e.g. `workload=trace_lublin scheduler.policy=fcfs`. */
  group: string;
  /** Window starts (workload.skip), in sweep order. */
  windows: number[];
  metrics: Record<string, WindowSpread>;
}

/** Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The t quantile for df degrees of freedom (the normal 1.96 beyond 120, interpolated in 1/df between). */
export function t95(df: number): number {
  if (df <= 30) return T95[df - 1] as number;
  // Quantiles at 30, 60, 120 and ∞ are close to linear in 1/df.
  const knots: [number, number][] = [[1 / 30, 2.042], [1 / 60, 2.0], [1 / 120, 1.98], [0, 1.96]];
  const x = 1 / df;
  for (let k = 1; k < knots.length; k++) {
    const [x0, y0] = knots[k - 1] as [number, number];
    const [x1, y1] = knots[k] as [number, number];
    if (x >= x1) return y1 + ((y0 - y1) * (x - x1)) / (x0 - x1);
  }
  return 1.96;
}

/** Mean, sd and 95 % CI of the values (one per window). */
export function spreadOf(xs: readonly number[]): WindowSpread {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (t95(n - 1) * sd) / Math.sqrt(n) : 0;
  return { mean, sd, ci95: [mean - half, mean + half], min: Math.min(...xs), max: Math.max(...xs) };
}

function groupName(point: SweepPoint): string {
  const parts = Object.entries(point.choices).map(([k, v]) => `${k}=${v}`);
  for (const [k, v] of Object.entries(point.swept)) if (k !== WINDOW_KEY) parts.push(`${k}=${String(v)}`);
  return parts.sort().join(' ');
}

/** Groups the points by everything but their window and summarises each group's windows. */
export function summarizeWindows(points: readonly { point: SweepPoint; runs: Record<string, number>[] }[]): TraceStudyGroup[] {
  const groups = new Map<string, { windows: number[]; values: Record<string, number>[] }>();
  for (const { point, runs } of points) {
    const name = groupName(point);
    const g = groups.get(name) ?? { windows: [], values: [] };
    g.windows.push(Number(point.swept[WINDOW_KEY] ?? 0));
    // Repetitions of one window are averaged so that each window weighs the same.
    const avg: Record<string, number> = {};
    for (const key of Object.keys(runs[0] ?? {})) avg[key] = runs.reduce((a, r) => a + (r[key] ?? NaN), 0) / runs.length;
    g.values.push(avg);
    groups.set(name, g);
  }
  return [...groups].map(([group, g]) => {
    const metrics: Record<string, WindowSpread> = {};
    for (const key of Object.keys(g.values[0] ?? {})) metrics[key] = spreadOf(g.values.map((v) => v[key] as number));
    return { group, windows: g.windows, metrics };
  });
}

/** The table trace-study.txt holds: one line per group and shown metric. */
export function formatTraceStudy(groups: readonly TraceStudyGroup[]): string {
  const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(2) : x.toPrecision(4));
  const lines = ['Mean over trace windows (results/trace-study.json); spread over windows: sd, 95% CI by Student\'s t'];
  // Choices every group shares are said once; each group is named by what sets it apart.
  const parts = groups.map((g) => g.group.split(' '));
  const common = (parts[0] ?? []).filter((c) => parts.every((p) => p.includes(c)));
  if (groups.length > 1) lines.push(`common: ${common.join(' ')}`);
  for (const [k, g] of groups.entries()) {
    const own = groups.length > 1 ? (parts[k] as string[]).filter((c) => !common.includes(c)).join(' ') : g.group;
    lines.push(`${own} (${g.windows.length} windows: ${g.windows.join(', ')})`);
    for (const key of SHOWN) {
      const m = g.metrics[key];
      if (m) lines.push(`  ${key.padEnd(12)} mean ${f(m.mean).padStart(10)}  sd ${f(m.sd).padStart(9)}  95% CI [${f(m.ci95[0])}, ${f(m.ci95[1])}]  min ${f(m.min)}  max ${f(m.max)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const reportTraceStudy = defineTask({
  kind: 'artifact',
  name: 'report:trace-study',
  version: 1,
  description: 'Mean over trace windows (a workload.skip sweep) per configuration, with sd and 95% CI',
  needs: ['metrics'],
  reads: [],
  scope: 'sweep',
  publish: ['trace-study.txt', 'trace-study.json'],
  summary: 'trace-study.txt',
  async run(ctx) {
    const groups = summarizeWindows(await metricsByPoint(ctx));
    await writeJson(ctx.outDir, 'trace-study.json', groups);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${ctx.outDir}/trace-study.txt`, formatTraceStudy(groups));
  },
});
