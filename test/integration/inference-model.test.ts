/**
 * The numpy all-MiniLM-L6-v2 (src/hpc/services/kinds/inference/minilm.py) against what the model
 * is known to give. There is no torch here to compute references with, so they come from
 * published output of the reference implementation (sentence-transformers):
 * - the cosine similarity matrix of "The weather is lovely today." / "It's so sunny outside!" /
 *   "He drove to the stadium." printed in sentence-transformers' README quickstart for
 *   all-MiniLM-L6-v2: 0.6660, 0.1046, 0.1411 (4 decimals; we allow 0.0005 for float32 order);
 * - properties every sentence-transformers model of this card has: 384 dimensions, unit length
 *   (its modules.json ends with Normalize), batch results equal to one-at-a-time results
 *   (padding must not leak into the mean), truncation at 256 word pieces.
 * Needs the venv .ci/run builds; under CI=true it runs or fails.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { INFERENCE_DIR } from '../../src/hpc/services/kinds/inference-sources.js';
import { files, gate } from '../support/requirements.js';
import { INFERENCE_PYTHON } from '../support/inference-venv.js';

const { describe } = gate('inference model test', files(INFERENCE_PYTHON));

/** Runs `code` with minilm.py importable; its stdout parsed as JSON. */
function py(code: string): unknown {
  const r = spawnSync(INFERENCE_PYTHON, ['-c', `import sys, json\nsys.path.insert(0, ${JSON.stringify(INFERENCE_DIR)})\nfrom minilm import MiniLM\nm = MiniLM()\n${code}`], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('all-MiniLM-L6-v2 in numpy', () => {
  it('reproduces the published similarity matrix and the model\'s properties', () => {
    const out = py(`
s = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
e = m.embed(s)
one = [m.embed([t])[0] for t in s]
long = m.embed(["word " * 600])
ids, _ = m.tokens(["word " * 600])
print(json.dumps({"shape": list(e.shape), "norms": [float(x) for x in (e * e).sum(1) ** 0.5], "sim": (e @ e.T).tolist(),
  "batch_vs_single": max(float(abs(e[i] - one[i]).max()) for i in range(3)), "long_shape": list(long.shape), "long_tokens": int(ids.shape[1])}))
`) as { shape: number[]; norms: number[]; sim: number[][]; batch_vs_single: number; long_shape: number[]; long_tokens: number };
    expect(out.shape).toEqual([3, 384]);
    for (const n of out.norms) expect(n).toBeCloseTo(1, 5);
    const published = [[1, 0.666, 0.1046], [0.666, 1, 0.1411], [0.1046, 0.1411, 1]];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs((out.sim[i]?.[j] ?? NaN) - (published[i]?.[j] ?? NaN))).toBeLessThan(0.0005);
    // A paraphrase pair far closer than unrelated sentences.
    expect((out.sim[0]?.[1] ?? 0) - (out.sim[0]?.[2] ?? 1)).toBeGreaterThan(0.4);
    expect(out.batch_vs_single).toBeLessThan(1e-5);
    expect(out.long_shape).toEqual([1, 384]);
    expect(out.long_tokens).toBe(256);
  }, 120_000);
});
