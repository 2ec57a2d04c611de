/**
 * Loads `benchfile.ts` without a build step for the user: esbuild bundles it (packages external)
 * into `cache/benchfile/<digest>.mjs`; the bundle is reused while every input's size and mtime
 * are unchanged, so a no-op run does not load esbuild at all. The bundle's metafile is also the
 * project half of the module graph that decides each task's `code` fingerprint field.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBuiltin } from 'node:module';
import type { Diagnostic } from '../engine/diagnostic.js';
import type { Benchfile } from '../engine/graph/task-def.js';
import type { BenchfileSource } from '../engine/graph/task-graph.js';
import { loadCodeGraph, type ProjectModule } from '../engine/hash/code-graph.js';
import { codeRecorder } from '../engine/hash/code-record.js';
import { sha256Hex } from '../engine/hash/canonical-json.js';

interface BundleMeta {
  out: string;
  inputs: { path: string; size: number; mtimeMs: number }[];
  /** Project module → its imports, from the metafile (absent in bundles made before code was hashed). */
  modules?: Record<string, ProjectModule>;
}

/** The library tasks import as `bench/...`: hashed module by module, not by version. */
const LINKED = ['bench'];

/** Bundles (or reuses) and imports the benchfile; syntax errors come back as diagnostics. */
export async function loadBenchfile(root: string, cacheDir: string): Promise<{
  benchfile?: Benchfile; source?: BenchfileSource; codeOf?: (taskName: string) => Record<string, string>;
  /** The bundle and every module digest in one string: part of the run stamp's key. */
  codeStamp?: string;
  diagnostics: Diagnostic[];
}> {
  const entry = join(root, 'benchfile.ts');
  if (!existsSync(entry)) return { diagnostics: [{ severity: 'error', message: 'no benchfile.ts in the project root', file: entry }] };
  const dir = join(cacheDir, 'benchfile');
  const metaPath = join(dir, 'bundle.json');
  let meta = readMeta(metaPath);
  if (!meta?.modules || !fresh(meta, root)) {
    const built = await bundle(root, entry, dir);
    if ('diagnostics' in built) return { diagnostics: built.diagnostics };
    meta = built.meta;
    writeFileSync(metaPath, JSON.stringify(meta));
  }
  let mod: { default?: Benchfile };
  try {
    mod = (await import(pathToFileURL(meta.out).href)) as { default?: Benchfile };
  } catch (e) {
    const { benchfileLoadError } = await import('./benchfile-error.js');
    return { diagnostics: [benchfileLoadError(e, meta.out, root)] };
  }
  const source = { file: 'benchfile.ts', text: readFileSync(entry, 'utf8') };
  if (!mod.default || !Array.isArray(mod.default.tasks)) {
    return { diagnostics: [{ severity: 'error', message: 'benchfile.ts must `export default { tasks: [...] }`', file: 'benchfile.ts' }] };
  }
  const graph = await loadCodeGraph({
    root, cacheFile: join(dir, 'code.json'), stamp: meta.out, project: meta.modules ?? {}, entry: 'benchfile.ts', linked: LINKED,
  });
  const codeStamp = `${meta.out}:${sha256Hex(JSON.stringify(graph.digests))}`;
  return { benchfile: mod.default, source, codeOf: codeRecorder(graph), codeStamp, diagnostics: [] };
}

/** Each bundled module's imports: project files by path, packages by specifier (builtins left out). */
function projectModules(root: string, metafile: import('esbuild').Metafile): Record<string, ProjectModule> {
  const rel = (p: string): string => relative(root, resolve(root, p));
  const modules: Record<string, ProjectModule> = {};
  for (const [path, input] of Object.entries(metafile.inputs)) {
    const mod: ProjectModule = { imports: [], external: [] };
    for (const i of input.imports) {
      if (!i.external) mod.imports.push(rel(i.path));
      else if (!isBuiltin(i.path)) mod.external.push(i.path);
    }
    modules[rel(path)] = mod;
  }
  return modules;
}

function readMeta(path: string): BundleMeta | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BundleMeta;
  } catch {
    return undefined;
  }
}

function fresh(meta: BundleMeta, root: string): boolean {
  if (!existsSync(meta.out)) return false;
  return meta.inputs.every((i) => {
    try {
      const st = statSync(resolve(root, i.path));
      return st.size === i.size && st.mtimeMs === i.mtimeMs;
    } catch {
      return false;
    }
  });
}

async function bundle(root: string, entry: string, dir: string): Promise<{ meta: BundleMeta } | { diagnostics: Diagnostic[] }> {
  const esbuild = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  try {
    const r = await esbuild.build({
      entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', external: ['bench'],
      write: false, metafile: true, absWorkingDir: root, logLevel: 'silent', outfile: join(dir, 'out.mjs'), sourcemap: 'inline',
    });
    const text = r.outputFiles[0]?.text ?? '';
    const { createHash } = await import('node:crypto');
    const out = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
    writeFileSync(out, text);
    const inputs = Object.keys(r.metafile.inputs).map((p) => {
      const st = statSync(resolve(root, p));
      return { path: relative(root, resolve(root, p)), size: st.size, mtimeMs: st.mtimeMs };
    });
    return { meta: { out, inputs, modules: projectModules(root, r.metafile) } };
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors ?? [];
    if (!errors.length) throw e;
    return {
      diagnostics: errors.map((er) => ({
        severity: 'error' as const, message: er.text,
        ...(er.location ? { file: er.location.file, line: er.location.line, column: er.location.column + 1 } : {}),
      })),
    };
  }
}
