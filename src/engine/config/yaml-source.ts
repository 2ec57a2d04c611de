import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { Diagnostic } from '../diagnostic.js';

/** Where a config value was written: a file position, or the command line. */
export interface SourceLoc {
  file: string;
  line?: number;
  column?: number;
}

/** Source location of every key path set so far; later writers replace earlier ones. */
export type Provenance = Map<string, SourceLoc>;

/** One parsed YAML config file with the position of each key path in it. */
export interface YamlSource {
  value: unknown;
  /** Key paths relative to the file's root, e.g. `server.pool.size`. */
  positions: Map<string, { line: number; column: number }>;
  /** `# @package _global_` header: the file merges at the config root, not under its group. */
  global: boolean;
}

/**
 * Reads and parses a YAML file. Syntax errors become located diagnostics; the value is then
 * undefined, so composition goes on to report the errors of the other files too.
 */
export function loadYamlSource(path: string, display: string, diagnostics: Diagnostic[]): YamlSource | undefined {
  const text = readFileSync(path, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      diagnostics.push({
        severity: 'error',
        message: `YAML syntax error: ${err.message.split('\n')[0] ?? err.code}`,
        file: display,
        line: pos.line,
        column: pos.col,
      });
    }
    return undefined;
  }
  const positions = new Map<string, { line: number; column: number }>();
  collectPositions(doc.contents, '', lineCounter, positions);
  const global = /^\s*#\s*@package\s+_global_\s*$/m.test(text.split('\n').slice(0, 5).join('\n'));
  return { value: doc.toJS() as unknown, positions, global };
}

function collectPositions(
  node: unknown,
  prefix: string,
  lc: LineCounter,
  out: Map<string, { line: number; column: number }>,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const path = prefix ? `${prefix}.${key}` : key;
      const range = (pair.key as Node | null)?.range;
      if (range) {
        const p = lc.linePos(range[0]);
        out.set(path, { line: p.line, column: p.col });
      }
      collectPositions(pair.value, path, lc, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const path = prefix ? `${prefix}.${i}` : String(i);
      const range = (item as Node | null)?.range;
      if (range) {
        const p = lc.linePos(range[0]);
        out.set(path, { line: p.line, column: p.col });
      }
      collectPositions(item, path, lc, out);
    });
  }
}
