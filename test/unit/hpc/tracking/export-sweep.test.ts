import { describe, expect, it } from 'vitest';
import type { MlflowClient, MlflowRun, MlflowTag } from '../../../../src/hpc/tracking/mlflow-client.js';
import { exportSweep, type TrackedRun, type TrackedSweep } from '../../../../src/hpc/tracking/export-sweep.js';

/** MLflow's run bookkeeping in memory: enough to check what an export creates, deletes and leaves. */
class MemoryMlflow {
  runs: (MlflowRun & { deleted: boolean; uploads: string[] })[] = [];
  /** Throws once this many runs have been created, like a kill in the middle of an export. */
  failAfterCreates = Infinity;
  /** Throws once this many changes (any call but search) have been made. */
  failAfterChanges = Infinity;
  changes = 0;
  private change(): void {
    if (this.changes >= this.failAfterChanges) throw new Error('killed');
    this.changes += 1;
  }
  async ensureExperiment(): Promise<string> {
    return '1';
  }
  async searchRuns(_e: string, filter: string): Promise<MlflowRun[]> {
    const m = /tags\.`([^`]+)` = '([^']*)'/.exec(filter);
    return this.runs.filter((r) => !r.deleted && r.data.tags?.some((t) => t.key === m?.[1] && t.value === m?.[2]));
  }
  async createRun(o: { name: string; tags: MlflowTag[] }): Promise<MlflowRun> {
    this.change();
    if (this.runs.length >= this.failAfterCreates) throw new Error('killed');
    const id = `run${this.runs.length}`;
    const run = { info: { run_id: id, status: 'RUNNING', artifact_uri: `mlflow-artifacts:/1/${id}/artifacts` }, data: { tags: [...o.tags] }, deleted: false, uploads: [] };
    this.runs.push(run);
    return run;
  }
  async logBatch(): Promise<void> {
    this.change();
  }
  async setTag(id: string, key: string, value: string): Promise<void> {
    this.change();
    this.get(id).data.tags?.push({ key, value });
  }
  async finishRun(id: string): Promise<void> {
    this.change();
    this.get(id).info.status = 'FINISHED';
  }
  async deleteRun(id: string): Promise<void> {
    this.change();
    this.get(id).deleted = true;
  }
  async uploadArtifact(uri: string, name: string): Promise<boolean> {
    this.change();
    this.runs.find((r) => r.info.artifact_uri === uri)?.uploads.push(name);
    return true;
  }
  private get(id: string) {
    const r = this.runs.find((x) => x.info.run_id === id);
    if (!r) throw new Error(`no run ${id}`);
    return r;
  }
  live(kind: string) {
    return this.runs.filter((r) => !r.deleted && r.data.tags?.some((t) => t.key === 'bench.kind' && t.value === kind));
  }
}

const run = (name: string, fingerprint = `fp-${name}`): TrackedRun => ({
  name, fingerprint, params: [], metrics: { makespan: 1 }, histories: [], tags: {},
  artifacts: [{ name: 'config.yaml', read: async () => new Uint8Array() }],
});
const sweep = (runs: TrackedRun[]): TrackedSweep => ({ experiment: 'e', sweepKey: 'sweep1', name: 'sweep', tags: {}, artifacts: [], runs });

describe('exportSweep', () => {
  it('logs each run once: a rerun adds nothing, a changed run is added beside the old one', async () => {
    const mem = new MemoryMlflow();
    const client = mem as unknown as MlflowClient;
    const first = await exportSweep(client, sweep([run('a'), run('b')]));
    expect(first.created).toEqual(['a', 'b']);
    const again = await exportSweep(client, sweep([run('a'), run('b')]));
    expect(again).toMatchObject({ created: [], existing: ['a', 'b'], parentRunId: first.parentRunId });
    const edited = await exportSweep(client, sweep([run('a'), run('b', 'fp-b2')]));
    expect(edited).toMatchObject({ created: ['b'], existing: ['a'] });
    expect(mem.live('sweep')).toHaveLength(1);
    expect(mem.live('point')).toHaveLength(3);
    expect(mem.live('point').every((r) => r.data.tags?.some((t) => t.key === 'mlflow.parentRunId' && t.value === first.parentRunId))).toBe(true);
  });

  it('after an export killed half-way, redoes the incomplete run and duplicates nothing', async () => {
    const mem = new MemoryMlflow();
    const client = mem as unknown as MlflowClient;
    mem.failAfterCreates = 3; // parent, a (complete), b created... then c's creation fails
    await expect(exportSweep(client, sweep([run('a'), run('b'), run('c')]))).rejects.toThrow('killed');
    // b was created and completed before c failed; make b look interrupted: no completion tag, still RUNNING.
    const b = mem.runs.find((r) => r.data.tags?.some((t) => t.value === 'fp-b')) as MemoryMlflow['runs'][number];
    b.data.tags = (b.data.tags ?? []).filter((t) => t.key !== 'bench.complete');
    b.info.status = 'RUNNING';
    mem.failAfterCreates = Infinity;
    const resumed = await exportSweep(client, sweep([run('a'), run('b'), run('c')]));
    expect(resumed).toMatchObject({ existing: ['a'], redone: ['b'], created: ['c'] });
    expect(mem.live('point').map((r) => r.data.tags?.find((t) => t.key === 'bench.fingerprint')?.value).sort()).toEqual(['fp-a', 'fp-b', 'fp-c']);
    expect(mem.live('point').every((r) => r.info.status === 'FINISHED' && r.uploads.includes('config.yaml'))).toBe(true);
    expect(mem.live('sweep')).toHaveLength(1);
  });

  it('whichever call a kill interrupts, the next export leaves every run finished, complete and single', async () => {
    const runs = [run('a'), run('b'), run('c')];
    const whole = new MemoryMlflow();
    await exportSweep(whole as unknown as MlflowClient, sweep(runs));
    expect(whole.changes).toBeGreaterThan(10);
    for (let k = 0; k < whole.changes; k++) {
      const mem = new MemoryMlflow();
      mem.failAfterChanges = k;
      await expect(exportSweep(mem as unknown as MlflowClient, sweep(runs)), `kill after ${k} changes`).rejects.toThrow('killed');
      mem.failAfterChanges = Infinity;
      await exportSweep(mem as unknown as MlflowClient, sweep(runs));
      const live = mem.live('point');
      expect(live.map((r) => r.data.tags?.find((t) => t.key === 'bench.fingerprint')?.value).sort(), `kill after ${k}`).toEqual(['fp-a', 'fp-b', 'fp-c']);
      for (const r of [...live, ...mem.live('sweep')]) {
        expect(r.info.status, `kill after ${k}: ${r.info.run_id}`).toBe('FINISHED');
        expect(r.data.tags?.some((t) => t.key === 'bench.complete' && t.value === 'true'), `kill after ${k}: ${r.info.run_id}`).toBe(true);
      }
      expect(live.every((r) => r.uploads.includes('config.yaml'))).toBe(true);
      expect(mem.live('sweep')).toHaveLength(1);
    }
  });
});
