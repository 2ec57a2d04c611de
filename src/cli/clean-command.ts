/**
 * `bench clean [TARGET...] [--dry-run]` and `bench gc [--dry-run]`. Both need the cache to
 * themselves: they take the maintenance lease, which a live run holds off (and which holds off
 * runs), and refuse naming the running PID instead of deleting outputs a run has just committed
 * or is about to read. Resources the ledger lists are torn down before anything is dropped.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, rmSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pruneManifests, readManifests, removeManifests } from '../engine/cache/manifests.js';
import { selectTargets } from '../engine/graph/select-targets.js';
import type { RunEvent } from '../engine/events/events.js';
import { pidAlive } from '../engine/pid-alive.js';
import { recoverStale } from '../engine/runner/recover.js';
import { leaseRefusal, leaseRenewMs } from './lease-message.js';
import type { CliArgs } from './parse-args.js';
import { printDiagnostics } from './main.js';
import { openProject, type Project } from './open-project.js';

/** Earlier commits of a task (other sweeps, earlier configs) are kept this long after their last use. */
export const HISTORY_KEEP_MS = 30 * 24 * 3600 * 1000;

const out = (s: string): void => void process.stdout.write(`${s}\n`);

/** Runs `clean` or `gc`; returns the exit status. */
export async function cleanCommand(args: CliArgs, root: string): Promise<number> {
  const { project, diagnostics } = await openProject(root, args.overrides);
  if (!project) return printDiagnostics(diagnostics);
  try {
    const holder = project.store.locks.takeLease('maintenance', { renewEveryMs: leaseRenewMs() });
    if (holder) {
      process.stderr.write(leaseRefusal(args.command, holder));
      return 1;
    }
    if (!(await tearDownLedger(project, args.dryRun))) return 1;
    if (args.command === 'gc') {
      // Jobs a killed coordinator left on an existing cluster (executor.provider=ssh): ours only.
      const { cancelOrphanedJobs } = await import('../hpc/executor/orphaned-jobs.js');
      for (const line of await cancelOrphanedJobs(project.cacheDir, { dryRun: args.dryRun, signal: new AbortController().signal })) out(line);
      // Service and client jobs a dead run left on a cluster (provider=ssh: bench does not manage it): ours only.
      const { gcServiceJobs } = await import('../hpc/services/job-owner.js');
      for (const line of await gcServiceJobs(project.root, project.cacheDir, project.store.ledger({ withKept: true }).map((r) => r.handle), args.dryRun)) out(line);
      return gc(project, args.dryRun);
    }
    if (args.targets.length) return cleanTargets(project, args);
    return cleanAll(project, args.dryRun);
  } finally {
    project.store.close();
  }
}

/**
 * Tears down what the ledger lists for dead owners (a crashed run), then what each resource task
 * finds itself. Returns false when a teardown failed: its ledger row stays, and nothing is dropped.
 */
async function tearDownLedger(p: Project, dryRun: boolean): Promise<boolean> {
  const rows = p.store.ledger();
  if (dryRun) {
    for (const r of rows) out(`would tear down ${r.taskId} (left by PID ${r.pid})`);
    return true;
  }
  const lines: string[] = [];
  let failed = false;
  const emit = (e: RunEvent): void => {
    if (e.kind === 'resource-down') lines.push(`tore down ${e.taskId}${e.error ? ` (${e.error})` : ''}`);
    else if (e.kind === 'task-log') lines.push(e.message);
    if (e.kind === 'resource-down' && e.error) failed = true;
  };
  await recoverStale({ store: p.store, graph: p.graph, emit, projectRoot: p.root, cacheDir: p.cacheDir });
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`warning: ${m}`), debug: () => undefined };
  for (const def of p.graph.defs.values()) {
    if (def.kind === 'resource' && def.cleanupLeftovers) await def.cleanupLeftovers({ projectRoot: p.root, log });
  }
  for (const l of lines) out(l);
  const left = p.store.ledger();
  if (failed || left.length) {
    process.stderr.write(`error: ${left.map((r) => r.taskId).join(', ') || 'a resource'} could not be torn down and stays in the ledger; nothing was removed — fix the cause above and run ${'`bench clean`'} again\n`);
    return false;
  }
  return true;
}

/** Everything in the cache; published copies in results/ stay, links into the store go. */
function cleanAll(p: Project, dryRun: boolean): number {
  const verb = dryRun ? 'would remove' : 'removed';
  const count = (d: string): number => (existsSync(join(p.cacheDir, d)) ? readdirSync(join(p.cacheDir, d)).length : 0);
  const entries = p.store.loadEntries().size;
  out(`${verb} ${count('store')} outputs (cache/store), ${count('manifests')} manifests, ${count('tmp')} temp dirs and ${entries} cache entries`);
  const links = storeLinks(p, () => true);
  for (const l of links) out(`${verb} ${l.slice(p.root.length + 1)} (link into the cache)`);
  if (dryRun) return 0;
  // Emptying the tables rather than deleting the file keeps the lease rows other processes check.
  p.store.db.exec('DELETE FROM entries; DELETE FROM history; DELETE FROM files; DELETE FROM claims;');
  for (const d of ['store', 'manifests', 'tmp']) rmSync(join(p.cacheDir, d), { recursive: true, force: true });
  for (const l of links) unlinkSync(l);
  out('published files in results/ were kept');
  return 0;
}

/** The selected task instances only: their entries, earlier commits and outputs nothing else uses. */
function cleanTargets(p: Project, args: CliArgs): number {
  const sel = selectTargets(p.graph, args.targets);
  if (sel.diagnostics.length) return printDiagnostics(sel.diagnostics);
  const ids = new Set(sel.ids);
  const history = p.store.historyRows();
  const entries = p.store.loadEntries();
  const drop = history.filter((h) => ids.has(h.taskId));
  const keepOutputs = new Set([
    ...history.filter((h) => !ids.has(h.taskId)).map((h) => h.outputDigest),
    ...[...entries.values()].filter((e) => !ids.has(e.taskId) && e.outputDigest).map((e) => e.outputDigest as string),
  ]);
  const gone = new Set([...drop.map((h) => h.outputDigest), ...[...entries.values()].filter((e) => ids.has(e.taskId)).map((e) => e.outputDigest ?? '')]);
  keepOutputs.forEach((d) => gone.delete(d));
  gone.delete('');
  const verb = args.dryRun ? 'would remove' : 'removed';
  for (const id of sel.ids) if (entries.has(id)) out(`${verb} ${id}`);
  const links = storeLinks(p, (d) => gone.has(d));
  out(`${verb} ${gone.size} outputs no other task uses, ${links.length} links in results/`);
  if (args.dryRun) return 0;
  p.store.deleteEntries(sel.ids);
  p.store.deleteHistory(drop);
  removeManifests(p.cacheDir, drop);
  for (const d of gone) rmSync(p.blobs.dirOf(d), { recursive: true, force: true });
  for (const l of links) unlinkSync(l);
  return 0;
}

/**
 * Keeps every task's latest output and earlier commits used within `HISTORY_KEEP_MS` (so sweeps
 * do not evict each other); removes other outputs, their manifests and dead processes' temp dirs.
 */
function gc(p: Project, dryRun: boolean): number {
  const now = Date.now();
  const entries = p.store.loadEntries();
  const history = p.store.historyRows();
  const latest = new Set([...entries.values()].map((e) => `${e.taskId}\0${e.digest}`));
  const expired = history.filter((h) => !latest.has(`${h.taskId}\0${h.digest}`) && now - h.accessedAt > HISTORY_KEEP_MS);
  const expiredKeys = new Set(expired.map((h) => `${h.taskId}\0${h.digest}`));
  const live = new Set<string>();
  for (const e of entries.values()) if (e.outputDigest) live.add(e.outputDigest);
  for (const h of history) if (!expiredKeys.has(`${h.taskId}\0${h.digest}`)) live.add(h.outputDigest);
  // Outputs recorded only by a manifest (a commit whose row a crash lost) are kept too.
  for (const m of readManifests(p.cacheDir)) if (m.outputDigest && !expiredKeys.has(`${m.taskId}\0${m.digest}`)) live.add(m.outputDigest);
  const storeDir = join(p.cacheDir, 'store');
  const unused = existsSync(storeDir) ? readdirSync(storeDir).filter((d) => !live.has(d)) : [];
  const tmp = join(p.cacheDir, 'tmp');
  const deadTmp = existsSync(tmp) ? readdirSync(tmp).filter((d) => !pidAlive(Number(d.split('-')[0]))) : [];
  if (dryRun) {
    out(`would remove ${unused.length} unreferenced outputs and ${deadTmp.length} temp dirs`);
    return 0;
  }
  p.store.deleteHistory(expired);
  removeManifests(p.cacheDir, expired);
  for (const d of unused) rmSync(join(storeDir, d), { recursive: true, force: true });
  for (const d of deadTmp) rmSync(join(tmp, d), { recursive: true, force: true });
  pruneManifests(p.cacheDir, (d) => existsSync(p.blobs.dirOf(d)));
  out(`removed ${unused.length + deadTmp.length} unreferenced outputs and temp dirs`);
  return 0;
}

/** Symlinks under results/<task>/ that point into the store at an output `match` selects. */
function storeLinks(p: Project, match: (digest: string) => boolean): string[] {
  const results = join(p.root, 'results');
  if (!existsSync(results)) return [];
  const found: string[] = [];
  const storeDir = join(p.cacheDir, 'store');
  for (const sub of readdirSync(results, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    for (const f of readdirSync(join(results, sub.name))) {
      const link = join(results, sub.name, f);
      if (!lstatSync(link).isSymbolicLink()) continue;
      const target = readlinkSync(link);
      if (target.startsWith(storeDir) && match(basename(target))) found.push(link);
    }
  }
  return found;
}
