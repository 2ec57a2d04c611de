/**
 * Stages what a job needs to run `bench` on the cluster, once per content hash: the `bench`
 * library (its `package.json`, `bin/`, `dist/` and `node_modules/`), then the project (the
 * benchfile bundle, `conf/`, `data/`, and `node_modules/bench` pointing at the staged library).
 * Two levels, because a task edit changes the small project stage only, not the library's
 * 260 MB. Each stage is copied to a temp name and renamed: a stage that exists is complete.
 *
 * This copies through the filesystem (a cluster whose hosts see this machine's filesystem or a
 * shared directory mounted at the same path); `stage-over-sftp.ts` stages the same plan over SFTP.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { execa } from 'execa';

export interface StagedProject {
  /** The staged library root (holds `bin/bench.js`). */
  lib: string;
  /** The staged project root (a task's `projectRoot` on the cluster). */
  project: string;
  /** The benchfile bundle inside the staged project. */
  bundle: string;
  /** Whether this call copied anything (false: both stages were there). */
  copied: boolean;
}

/** The library this process runs from: dist/hpc/executor/ → the package root. */
export function runningLibraryRoot(): string {
  return resolve(import.meta.dirname, '..', '..', '..');
}

/** Digest of the files under `dir` (paths and contents), or of nothing when it is absent. */
function hashTree(h: ReturnType<typeof createHash>, root: string, rel: string): void {
  const abs = join(root, rel);
  if (!existsSync(abs)) return;
  const st = statSync(abs);
  if (st.isFile()) {
    h.update(`${rel}\0`).update(readFileSync(abs));
    return;
  }
  for (const name of readdirSync(abs).sort()) hashTree(h, root, rel ? `${rel}/${name}` : name);
}

/**
 * The library's content hash: its code (`dist/`, `bin/`), `package.json`, and `package-lock.json`
 * standing for `node_modules/` (hashing 260 MB of dependencies per run would cost seconds).
 */
export function libraryHash(lib: string): string {
  const h = createHash('sha256');
  for (const p of ['package.json', 'package-lock.json', 'bin', 'dist']) hashTree(h, lib, p);
  return h.digest('hex').slice(0, 16);
}

/** The benchfile bundle the coordinator loaded (`cache/benchfile/bundle.json` names it). */
export function currentBundle(cacheDir: string): string {
  const meta = JSON.parse(readFileSync(join(cacheDir, 'benchfile', 'bundle.json'), 'utf8')) as { out: string };
  return meta.out;
}

/** Copies `parts` of `from` into a fresh temp dir beside `dest`, runs `finish`, renames it to `dest`. */
async function stageOnce(dest: string, from: string, parts: string[], finish: (tmp: string) => void): Promise<boolean> {
  if (existsSync(dest)) return false;
  mkdirSync(resolve(dest, '..'), { recursive: true });
  const tmp = mkdtempSync(`${dest}.tmp-`);
  try {
    const present = parts.filter((p) => existsSync(join(from, p)));
    if (present.length) await execa('cp', ['-a', '--reflink=auto', ...present.map((p) => join(from, p)), `${tmp}/`]);
    finish(tmp);
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another bench staged the same hash meanwhile: theirs is as good as ours.
    if (existsSync(dest)) return false;
    throw e;
  }
  return true;
}

/** What gets staged, and where under `remoteDir` (both named by content hash). */
export interface StagePlan {
  lib: string;
  bundle: string;
  libDest: string;
  projectDest: string;
  /** The library's parts copied into `libDest`, and the project's into `projectDest`. */
  libParts: string[];
  projectParts: string[];
}

export function planStaging(o: { projectRoot: string; cacheDir: string; remoteDir: string; lib?: string }): StagePlan {
  const lib = o.lib ?? runningLibraryRoot();
  const libHash = libraryHash(lib);
  const bundle = currentBundle(o.cacheDir);
  const h = createHash('sha256').update(libHash).update(basename(bundle)).update(readFileSync(bundle));
  for (const p of ['conf', 'data']) hashTree(h, o.projectRoot, p);
  return {
    lib, bundle, libDest: join(o.remoteDir, 'lib', libHash), projectDest: join(o.remoteDir, 'project', h.digest('hex').slice(0, 16)),
    libParts: ['package.json', 'bin', 'dist', 'node_modules'], projectParts: ['conf', 'data'],
  };
}

/** What the project stage holds besides `conf/` and `data/`: the bundle, and `node_modules/bench` → the staged library. */
export function finishProjectStage(tmp: string, plan: StagePlan): void {
  mkdirSync(join(tmp, 'cache', 'benchfile'), { recursive: true });
  mkdirSync(join(tmp, 'node_modules'), { recursive: true });
  symlinkSync(plan.libDest, join(tmp, 'node_modules', 'bench'));
  copyFileSync(plan.bundle, join(tmp, 'cache', 'benchfile', basename(plan.bundle)));
}

export function stagedProject(plan: StagePlan, copied: boolean): StagedProject {
  return { lib: plan.libDest, project: plan.projectDest, bundle: join(plan.projectDest, 'cache', 'benchfile', basename(plan.bundle)), copied };
}

/** Stages the library and the project under `remoteDir` (seen by every compute host at the same path). */
export async function stageProject(o: { projectRoot: string; cacheDir: string; remoteDir: string; lib?: string }): Promise<StagedProject> {
  const plan = planStaging(o);
  const libCopied = await stageOnce(plan.libDest, plan.lib, plan.libParts, () => undefined);
  const projectCopied = await stageOnce(plan.projectDest, o.projectRoot, plan.projectParts, (tmp) => finishProjectStage(tmp, plan));
  return stagedProject(plan, libCopied || projectCopied);
}
