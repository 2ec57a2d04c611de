/** Temp bench projects for end-to-end CLI tests: a benchfile, `node_modules/bench` linked to this repo. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin', 'bench.js');

export interface TempProject {
  dir: string;
  write(rel: string, text: string): void;
  read(rel: string): string;
  run(args: string[]): { code: number; stdout: string; stderr: string };
  spawn(args: string[], env?: Record<string, string>): ChildProcess;
  /** Lines of `log.txt`, which the test benchfiles append to. */
  log(): string[];
  /** Every event of every run so far, from the NDJSON logs. */
  events(): { kind: string; taskId?: string; outcome?: string; reason?: { kind: string } }[];
  remove(): void;
}

/** Creates a project with the given benchfile source. */
export function makeProject(benchfile: string): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'bench'));
  writeFileSync(join(dir, 'benchfile.ts'), benchfile);
  return {
    dir,
    write: (rel, text) => writeFileSync(join(dir, rel), text),
    read: (rel) => readFileSync(join(dir, rel), 'utf8'),
    run: (args) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    spawn: (args, env) => spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }),
    log: () => (existsSync(join(dir, 'log.txt')) ? readFileSync(join(dir, 'log.txt'), 'utf8').split('\n').filter(Boolean) : []),
    events: () => {
      const logs = join(dir, 'cache', 'logs');
      if (!existsSync(logs)) return [];
      return readdirSync(logs).sort().flatMap((f) => readFileSync(join(logs, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Polls until `cond` holds or the deadline passes (then throws). */
export async function waitFor(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves with the exit code (or signal name) of a child. */
export function exited(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
}

/** Shared benchfile prelude: `mark(line)` appends to log.txt; `sleep` honours the AbortSignal. */
export const PRELUDE = `
import type { Benchfile, TaskContext } from 'bench';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
const mark = (ctx: TaskContext, line: string) => appendFileSync(join(ctx.projectRoot, 'log.txt'), line + '\\n');
`;
