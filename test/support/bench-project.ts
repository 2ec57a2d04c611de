/**
 * A throwaway copy of this project for CLI tests on real clusters: benchfile, tasks and conf
 * copied, `bench` resolving to this checkout's build, and the built CLI run in it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupNetnsLeftovers } from '../../src/hpc/backends/netns/netns-provider.js';
import { REPO } from '../integration/engine-project.js';

export interface BenchProject {
  dir: string;
  /** Runs `bench ARGV` in the project; its exit status and stdout + stderr. */
  bench(argv: string[]): { status: number | null; output: string };
  /** Events of the newest run's NDJSON log. */
  lastRunEvents(): { kind: string; taskId?: string }[];
  /** Destroys what netns clusters of the project are left and removes it. */
  remove(): Promise<void>;
}

/**
 * A new temporary directory holding this project's benchfile, tasks and conf (and `extra` paths,
 * e.g. traces), in which `bench` resolves to `lib`: this checkout, or a snapshot of it.
 */
export function copyProject(prefix: string, o: { extra?: string[]; lib?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const p of ['benchfile.ts', 'tasks', 'conf', ...(o.extra ?? [])]) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(o.lib ?? REPO, join(dir, 'node_modules', 'bench'));
  return dir;
}

export function makeBenchProject(prefix: string): BenchProject {
  const dir = copyProject(prefix);
  return {
    dir,
    bench(argv) {
      const r = spawnSync(process.execPath, [join(REPO, 'bin', 'bench.js'), ...argv], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
      return { status: r.status, output: `${r.stdout}${r.stderr}` };
    },
    lastRunEvents() {
      const logs = join(dir, 'cache', 'logs');
      // Log names start with the run's start time.
      const file = readdirSync(logs).filter((f) => f.endsWith('.ndjson')).sort().pop() ?? '';
      return readFileSync(join(logs, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; taskId?: string });
    },
    async remove() {
      await cleanupNetnsLeftovers({ state_dir: join(dir, 'cache', 'netns') });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
