/** The inference service's virtualenv where .ci/run builds it (BENCH_INFERENCE_VENV overrides; root: /opt, where netns hosts see it). */
import { homedir } from 'node:os';
import { join } from 'node:path';

const fallback = process.getuid?.() === 0 ? '/opt/bench/inference-venv' : join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'bench', 'inference-venv');
export const INFERENCE_VENV = process.env['BENCH_INFERENCE_VENV'] ?? fallback;
export const INFERENCE_PYTHON = join(INFERENCE_VENV, 'bin', 'python');
