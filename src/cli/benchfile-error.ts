/**
 * A benchfile that throws while it loads: the error is shown at the user's own file and line
 * (mapped back from the esbuild bundle in `cache/benchfile/` through its inline source map) with
 * its message, not as a stack into the bundle.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../engine/diagnostic.js';

/** The diagnostic for an error thrown while importing the bundle at `bundlePath`. */
export function benchfileLoadError(e: unknown, bundlePath: string, root: string): Diagnostic {
  const message = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  const where = e instanceof Error ? userFrame(e.stack ?? '', bundlePath, root) : undefined;
  return { severity: 'error', file: where?.file ?? 'benchfile.ts', ...(where ? { line: where.line, column: where.column } : {}), message: `the benchfile threw while loading: ${message}` };
}

/** The first stack frame in the bundle that maps to a project file outside node_modules. */
function userFrame(stack: string, bundlePath: string, root: string): { file: string; line: number; column: number } | undefined {
  let map: SourceMap | undefined;
  for (const m of stack.matchAll(/(?:\(|at )((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm)) {
    const file = (m[1] as string).startsWith('file://') ? fileURLToPath(m[1] as string) : (m[1] as string);
    if (resolve(file) !== resolve(bundlePath)) continue;
    map ??= loadMap(bundlePath);
    const entry = map?.findEntry(Number(m[2]) - 1, Number(m[3]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (!entry?.originalSource || entry.originalLine === undefined) continue;
    const src = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    const abs = isAbsolute(src) ? src : resolve(dirname(bundlePath), src);
    const rel = relative(root, abs);
    if (rel.startsWith('..') || rel.split(/[\\/]/).includes('node_modules')) continue;
    return { file: rel, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }
  return undefined;
}

function loadMap(bundlePath: string): SourceMap | undefined {
  try {
    const text = readFileSync(bundlePath, 'utf8');
    const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(text);
    if (!m) return undefined;
    return new SourceMap(JSON.parse(Buffer.from(m[1] as string, 'base64').toString('utf8')) as SourceMapPayload);
  } catch {
    return undefined;
  }
}
