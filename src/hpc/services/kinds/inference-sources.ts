/**
 * The Python programs of the `inference` kinds and their pinned packages, read from
 * `src/hpc/services/kinds/inference/` of the installed package (package.json ships `src/`; tsc
 * copies no .py into dist/, so the built modules read them from there too). Job scripts carry
 * the programs inline, so a node needs no copy of this package, only Python and the packages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The directory of the .py files, from this module in src/ or in dist/ (same depth below the package root). */
export const INFERENCE_DIR = fileURLToPath(new URL('../../../../src/hpc/services/kinds/inference/', import.meta.url));

const cache = new Map<string, string>();

/** A file of that directory, read once. */
export function inferenceSource(name: 'minilm.py' | 'server.py' | 'loadgen.py' | 'requirements.txt'): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(INFERENCE_DIR + name, 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Pinned pip requirements (`name==version`), for a venv or a container image. */
export function inferencePipPackages(): string[] {
  return inferenceSource('requirements.txt').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

const EOF_MARK = 'BENCH_PY_EOF';

/** A shell command that writes `name` into the job's scratch dir; a quoted here-doc, so the shell expands nothing in it. */
export function writeSourceCommand(name: 'minilm.py' | 'server.py' | 'loadgen.py'): string {
  const text = inferenceSource(name);
  if (text.split('\n').includes(EOF_MARK)) throw new Error(`${name} contains the line ${EOF_MARK}`);
  return `cat > ${name} <<'${EOF_MARK}'\n${text.endsWith('\n') ? text : `${text}\n`}${EOF_MARK}`;
}

/**
 * A path on the node for a shell: `~/rest` becomes `"$HOME"/'rest'` (the job user's home, which
 * the head cannot know), anything else is quoted whole.
 */
export function nodePath(path: string, quote: (s: string) => string): string {
  return path.startsWith('~/') ? `"$HOME"/${quote(path.slice(2))}` : quote(path);
}
