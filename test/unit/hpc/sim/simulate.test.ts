import { describe, expect, it } from 'vitest';
import { simulate, type SimPolicy } from '../../../../src/hpc/sim/simulate.js';
import type { JobRecord, JobSpec } from '../../../../src/hpc/workload/job.js';

const job = (id: number, submit: number, cores: number, wall: number, runtime = wall): JobSpec =>
  ({ id, user: `u${id}`, submit, cores, nodes: 0, gpus: 0, memoryMiB: 0, runtime, walltime: wall });
const fourNodes = Array.from({ length: 4 }, () => ({ cores: 1, gpus: 0 }));
const policy = (queue: SimPolicy['queue']): SimPolicy => ({ queue, priority: { order: 'fcfs' }, placement: 'first-fit', backfillDepth: 100 });
const spans = (jobs: JobRecord[]) => Object.fromEntries(jobs.map((j) => [j.id, [j.start, j.end]]));

// Schedules worked out by hand; see each case's comment.
describe('simulate', () => {
  // J1 holds 2 of 4 cores until 10; J2 needs all 4; J3 (2 cores, 5 s) fits in the hole before J2 can start.
  const holeBeforeHead = [job(1, 0, 2, 10), job(2, 1, 4, 10), job(3, 2, 2, 5)];

  it('FCFS never starts a job ahead of a blocked one', () => {
    const r = simulate(holeBeforeHead, fourNodes, policy('fcfs'));
    expect(spans(r.jobs.toArray())).toEqual({ 1: [0, 10], 2: [10, 20], 3: [20, 25] });
    expect(r.backfilled).toBe(0);
  });

  it('EASY backfills a job that ends before the shadow time', () => {
    const r = simulate(holeBeforeHead, fourNodes, policy('easy'));
    expect(spans(r.jobs.toArray())).toEqual({ 1: [0, 10], 2: [10, 20], 3: [2, 7] });
    expect(r.jobs.toArray().find((j) => j.id === 3)?.backfilled).toBe(true);
  });

  // J5 (1 core, 30 s) arrives at 11 while J2 runs and J3, J4 (2 cores each) wait. It would end after the
  // shadow time (20) but fits on the node that is extra at the shadow time once J3 is placed, so EASY
  // starts it; that delays J4, which EASY does not protect. Conservative keeps J4's reservation at 20.
  const extraNodes = [job(1, 0, 3, 10), job(2, 1, 3, 10), job(3, 2, 2, 10), job(4, 3, 2, 10), job(5, 11, 1, 30)];

  it('EASY uses the extra-nodes rule and may delay the second queued job', () => {
    const r = simulate(extraNodes, fourNodes, policy('easy'));
    expect(spans(r.jobs.toArray())).toEqual({ 1: [0, 10], 2: [10, 20], 3: [20, 30], 4: [30, 40], 5: [11, 41] });
    expect(r.jobs.toArray().filter((j) => j.backfilled).map((j) => j.id)).toEqual([5]);
  });

  it('conservative backfilling delays no reservation', () => {
    const r = simulate(extraNodes, fourNodes, policy('conservative'));
    expect(spans(r.jobs.toArray())).toEqual({ 1: [0, 10], 2: [10, 20], 3: [20, 30], 4: [20, 30], 5: [30, 60] });
    expect(r.backfilled).toBe(0);
  });

  it('conservative backfills when nobody is delayed', () => {
    const r = simulate(holeBeforeHead, fourNodes, policy('conservative'));
    expect(spans(r.jobs.toArray())).toEqual({ 1: [0, 10], 2: [10, 20], 3: [2, 7] });
  });

  it('kills a job at its walltime', () => {
    const r = simulate([job(1, 0, 1, 10, 25), job(2, 0, 4, 5)], fourNodes, policy('fcfs'));
    const killed = r.jobs.toArray().find((j) => j.id === 1);
    expect(killed).toMatchObject({ start: 0, end: 10, state: 'timeout' });
    expect(r.jobs.toArray().find((j) => j.id === 2)).toMatchObject({ start: 10, end: 15, state: 'completed' });
  });

  it('places fixed node counts all at once, with GPUs per node', () => {
    const nodes = [{ cores: 4, gpus: 1 }, { cores: 4, gpus: 0 }, { cores: 4, gpus: 1 }];
    const r = simulate([{ ...job(1, 0, 4, 10), nodes: 2, gpus: 2 }], nodes, policy('fcfs'));
    expect(r.jobs.toArray()[0]).toMatchObject({ nodes: 2, cores: 4, gpus: 2, start: 0 });
  });

  it('best-fit packs a job onto the fullest node that fits, spread onto the emptiest', () => {
    const nodes = [{ cores: 4, gpus: 0 }, { cores: 2, gpus: 0 }];
    const jobs = [{ ...job(1, 0, 2, 10), nodes: 1 }, { ...job(2, 1, 2, 10), nodes: 1 }];
    const bf = simulate(jobs, nodes, { ...policy('fcfs'), placement: 'best-fit' });
    const sp = simulate(jobs, nodes, { ...policy('fcfs'), placement: 'spread' });
    // Best-fit: job 1 fills the 2-core node, job 2 still starts at once on the 4-core node; both start at their arrival.
    expect(spans(bf.jobs.toArray())).toEqual({ 1: [0, 10], 2: [1, 11] });
    expect(spans(sp.jobs.toArray())).toEqual({ 1: [0, 10], 2: [1, 11] });
    // A 4-core job arriving third fits only where nothing was placed: best-fit left the 4-core node free.
    const big = { ...job(3, 2, 4, 10), nodes: 1 };
    const bf3 = simulate([jobs[0] as JobSpec, big], nodes, { ...policy('fcfs'), placement: 'best-fit' });
    const sp3 = simulate([jobs[0] as JobSpec, big], nodes, { ...policy('fcfs'), placement: 'spread' });
    expect(bf3.jobs.toArray().find((j) => j.id === 3)?.start).toBe(2);
    expect(sp3.jobs.toArray().find((j) => j.id === 3)?.start).toBe(10);
  });

  it('SJF starts the shortest waiting job first', () => {
    const jobs = [job(1, 0, 4, 10), job(2, 1, 4, 30), job(3, 2, 4, 5)];
    const r = simulate(jobs, fourNodes, { ...policy('fcfs'), priority: { order: 'sjf' } });
    expect(spans(r.jobs.toArray())).toEqual({ 1: [0, 10], 3: [10, 15], 2: [15, 45] });
  });

  it('is deterministic and records the queue and busy cores over time', () => {
    const a = simulate(extraNodes, fourNodes, policy('easy'));
    const b = simulate(extraNodes, fourNodes, policy('easy'));
    expect(a).toEqual(b);
    const at11 = a.series.t.indexOf(11);
    expect(a.series.busyCores[at11]).toBe(4);
    // At t = 3, J2, J3 and J4 wait.
    expect(Math.max(...a.series.queued)).toBe(3);
  });
});
