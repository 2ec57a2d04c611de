import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processRunning } from '../../../../src/engine/pid-alive.js';
import { runTool } from '../../../../src/hpc/image/run-tool.js';
import { until } from '../../../support/wait.js';

describe('runTool', () => {
  let dir: string | undefined;
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('returns the exit status and the output', async () => {
    const r = await runTool('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ ok: false, exitCode: 3, cancelled: false });
    expect(r.out).toContain('out');
    expect(r.out).toContain('err');
  });

  it('ends the processes the tool started when cancelled, not the tool alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'run-tool-'));
    const pids = join(dir, 'pids');
    // Grandchildren: killing sh alone would leave them running.
    const script = `sleep 300 & echo $! >> ${pids}; sleep 300 & echo $! >> ${pids}; wait`;
    const ac = new AbortController();
    const running = runTool('sh', ['-c', script], ac.signal);
    const started = await until('the two sleeps to start', () => { try { const l = readFileSync(pids, 'utf8').trim().split('\n'); return l.length === 2 ? l.map(Number) : undefined; } catch { return undefined; } }, 20_000);
    ac.abort();
    const r = await running;
    expect(r.cancelled).toBe(true);
    expect(r.ok).toBe(false);
    await until('the sleeps to end', () => started.every((p) => !processRunning(p)) || undefined, 20_000);
    for (const p of started) expect(processRunning(p)).toBe(false);
  });
});
