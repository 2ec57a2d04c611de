/**
 * Reads the module graph behind the tasks' code (see `code-record.ts`): the project's modules as
 * the benchfile bundle's metafile lists them, the modules of linked libraries (the `bench` package
 * the tasks import, followed through its own imports and literal `import('...')`s) and package
 * versions. Each module's digest is the sha256 of esbuild's minified output, so comments and
 * formatting do not count. The graph is cached next to the bundle with every file's size, mtime
 * and inode: a run where nothing changed stats those files and loads neither esbuild nor a module.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { sha256Hex } from './canonical-json.js';
import { declaredNames, type CodeGraph } from './code-record.js';

/** One project module as the bundle's metafile shows it. */
export interface ProjectModule {
  /** Project modules it imports (project-relative paths). */
  imports: string[];
  /** Bare specifiers it imports (`bench/hpc/sim/index.js`, `apache-arrow`); builtins excluded. */
  external: string[];
}

interface FileRow { size: number; mtimeMs: number; ino: number; digest: string }
interface CacheFile { stamp: string; files: Record<string, FileRow>; graph: CodeGraph }

/** What `loadCodeGraph` needs: the bundle's module list and where to cache. */
export interface CodeGraphSource {
  root: string;
  /** JSON file the graph is cached in. */
  cacheFile: string;
  /** Changes whenever the project modules do (the bundle's digest). */
  stamp: string;
  project: Record<string, ProjectModule>;
  entry: string;
  /** Packages hashed module by module instead of by version (the library tasks are written against). */
  linked: string[];
}

/** The cached graph if every file it was made from is unchanged, else a rebuilt one. */
export async function loadCodeGraph(src: CodeGraphSource): Promise<CodeGraph> {
  const cached = readCache(src.cacheFile);
  if (cached && cached.stamp === src.stamp && unchanged(cached.files)) return cached.graph;
  const built = await buildCodeGraph(src, cached?.files ?? {});
  writeFileSync(src.cacheFile, JSON.stringify(built));
  return built.graph;
}

function readCache(path: string): CacheFile | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
}

function unchanged(files: Record<string, FileRow>): boolean {
  for (const [file, row] of Object.entries(files)) {
    try {
      const st = statSync(file);
      if (st.size !== row.size || st.mtimeMs !== row.mtimeMs || st.ino !== row.ino) return false;
    } catch {
      return false;
    }
  }
  return true;
}

type Esbuild = typeof import('esbuild');

async function buildCodeGraph(src: CodeGraphSource, known: Record<string, FileRow>): Promise<CacheFile> {
  const esbuild = await import('esbuild');
  const files: Record<string, FileRow> = {};
  const graph: CodeGraph = { digests: {}, edges: {}, declaredIn: {}, entry: src.entry };
  const hash = (file: string): Promise<string> => digestFile(esbuild, file, known, files);
  const libEntries = new Map<string, string>();
  for (const [rel, mod] of Object.entries(src.project)) {
    const file = resolve(src.root, rel);
    graph.digests[rel] = await hash(file);
    for (const name of declaredNames(readFileSync(file, 'utf8'))) (graph.declaredIn[name] ??= []).push(rel);
    const edges = [...mod.imports];
    for (const spec of mod.external) {
      const lib = src.linked.includes(packageName(spec)) ? resolveFile(spec, file) : undefined;
      if (lib) {
        libEntries.set(lib, packageName(spec));
        edges.push(lib);
      } else edges.push(packageKey(spec, file, graph, files));
    }
    graph.edges[rel] = edges;
  }
  const libKeys = await addLibraries(esbuild, libEntries, graph, files, hash);
  // Project edges named library files by path until their keys were known.
  for (const rel of Object.keys(src.project)) graph.edges[rel] = (graph.edges[rel] ?? []).map((k) => libKeys.get(k) ?? k);
  return { stamp: src.stamp, files, graph };
}

/** sha256 of esbuild's minified output (raw text if it does not parse), reusing `known` by stats. */
async function digestFile(esbuild: Esbuild, file: string, known: Record<string, FileRow>, files: Record<string, FileRow>): Promise<string> {
  const st = statSync(file);
  const prev = known[file];
  if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs && prev.ino === st.ino) {
    files[file] = prev;
    return prev.digest;
  }
  const text = readFileSync(file, 'utf8');
  const ext = extname(file);
  const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : 'js';
  let digest: string;
  try {
    digest = sha256Hex((await esbuild.transform(text, { loader, minify: true, legalComments: 'none', format: 'esm' })).code);
  } catch {
    digest = sha256Hex(text);
  }
  files[file] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, digest };
  return digest;
}

/**
 * Bundles the linked library from the files the project imports only to read esbuild's metafile:
 * every module reached, statically or through a literal `import('...')`, with its imports.
 * Returns entry file → module key.
 */
async function addLibraries(
  esbuild: Esbuild, entries: Map<string, string>, graph: CodeGraph, files: Record<string, FileRow>, hash: (file: string) => Promise<string>,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  const byRoot = new Map<string, { name: string; files: string[] }>();
  for (const [file, name] of entries) {
    const root = packageRoot(file, name) ?? dirname(file);
    const group = byRoot.get(root) ?? { name, files: [] };
    group.files.push(file);
    byRoot.set(root, group);
  }
  for (const [root, { name, files: rootEntries }] of byRoot) {
    const r = await esbuild.build({
      entryPoints: rootEntries, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm',
      packages: 'external', absWorkingDir: root, outdir: join(root, '.code-graph'), logLevel: 'silent',
    });
    const keyOf = (rel: string): string => `${name}:${sourceOf(join(root, rel), root) ?? rel}`;
    for (const [rel, input] of Object.entries(r.metafile.inputs)) {
      const file = join(root, rel);
      const key = keyOf(rel);
      keys.set(file, key);
      graph.digests[key] = await hash(file);
      graph.edges[key] = input.imports
        .filter((i) => !isBuiltin(i.path))
        .map((i) => (i.external ? packageKey(i.path, file, graph, files) : keyOf(i.path)));
    }
  }
  return keys;
}

/** The `.ts` a built module came from (its source map's first source), for readable reasons. */
function sourceOf(file: string, root: string): string | undefined {
  try {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources?: string[] };
    const first = map.sources?.[0];
    return first ? relative(root, resolve(dirname(file), first)) : undefined;
  } catch {
    return undefined;
  }
}

/** `npm:name`, its digest the version installed where `importer` resolves it. */
function packageKey(spec: string, importer: string, graph: CodeGraph, files: Record<string, FileRow>): string {
  const name = packageName(spec);
  const key = `npm:${name}`;
  if (graph.digests[key] === undefined) {
    const pj = findPackageJson(name, dirname(importer));
    const version = pj ? readPackage(pj)?.version : undefined;
    graph.digests[key] = version ?? 'not-found';
    if (pj && version) {
      const st = statSync(pj);
      files[pj] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, digest: version };
    }
  }
  return key;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

function findPackageJson(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const pj = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(pj)) return pj;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The directory of the `package.json` named `name` above `file` (nested ones only set `type`). */
function packageRoot(file: string, name: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && readPackage(join(dir, 'package.json'))?.name === name) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function readPackage(pj: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(pj, 'utf8')) as { name?: string; version?: string };
  } catch {
    return undefined;
  }
}

function resolveFile(spec: string, importer: string): string | undefined {
  try {
    return createRequire(importer).resolve(spec);
  } catch {
    return undefined;
  }
}
