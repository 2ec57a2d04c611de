/**
 * `npx bench` after `npm install` runs the project's own CLI in place: npm links it into
 * `node_modules/.bin` (the `bench-cli` package in `bin/`), so npx installs nothing into its cache,
 * and a first run killed at any moment leaves nothing that breaks the next one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/wait.js';
import { REPO } from './engine-project.js';

let npmCache = '';
let project = '';
const env = () => ({ ...process.env, npm_config_cache: npmCache, npm_config_update_notifier: 'false', npm_config_yes: 'false' });
const npxEntries = () => (existsSync(join(npmCache, '_npx')) ? readdirSync(join(npmCache, '_npx')) : []);

beforeAll(() => {
  npmCache = mkdtempSync(join(tmpdir(), 'bench-npm-cache-'));
  // A project laid out as a clone after `npm install`: its package.json, benchfile, tasks and conf,
  // and the two links npm makes (the library itself and the CLI package with its bin).
  project = mkdtempSync(join(tmpdir(), 'bench-npx-'));
  for (const p of ['package.json', 'benchfile.ts', 'tasks', 'conf']) cpSync(join(REPO, p), join(project, p), { recursive: true });
  // npm install's `prepare` builds dist/ in a clone; the benchfile's `import 'bench'` resolves to it.
  symlinkSync(join(REPO, 'dist'), join(project, 'dist'));
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO, join(project, 'node_modules', 'bench'));
  symlinkSync(join(REPO, 'bin'), join(project, 'node_modules', 'bench-cli'));
  symlinkSync('../bench-cli/bench.js', join(project, 'node_modules', '.bin', 'bench'));
});
afterAll(() => {
  rmSync(npmCache, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

describe('npx bench after npm install', () => {
  it('resolves to the installed CLI in the repository itself and creates nothing in npm’s npx cache', () => {
    expect(existsSync(join(REPO, 'node_modules', '.bin', 'bench')), 'npm install links the CLI into node_modules/.bin').toBe(true);
    const r = spawnSync('npx', ['bench', 'list'], { cwd: REPO, env: env(), encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/npm (error|ERR)/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/workload:run/);
    expect(npxEntries()).toEqual([]);
  });

  it('a first report:pareto killed at any of several moments never breaks the next one', async () => {
    // Kill the whole process group (npx and bench) right away, at its first output, and once tasks are done.
    for (const moment of [/^/, /\S/, /ran|done|workload:run/]) {
      const child = spawn('npx', ['bench', 'report:pareto', 'experiment=none', 'repetitions=1'], { cwd: project, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      expect(await eventually(() => moment.test(out) || child.exitCode !== null, 120_000)).toBe(true);
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // Already finished: the run outpaced this moment, which is just as good a test of the next run.
      }
      await gone;
      expect(await eventually(() => !groupAlive(child.pid as number), 30_000), 'the killed run leaves no process behind').toBe(true);
    }
    const r = spawnSync('npx', ['bench', 'report:pareto', 'experiment=none', 'repetitions=1'], { cwd: project, env: env(), encoding: 'utf8', timeout: 240_000 });
    expect(r.stderr).not.toMatch(/npm (error|ERR)|ENOENT/);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Pareto front/);
    expect(npxEntries()).toEqual([]);
  }, 600_000);
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
