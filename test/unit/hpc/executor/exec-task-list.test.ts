/**
 * An array element running several tasks in one process: `bench exec-task <el-n>.list` gives each
 * job directory its own outputs, manifest, stderr and exit file, skips what already ended (a
 * requeued element), and the batch script gives what the process left unfinished the element's
 * status and stderr.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execTaskCommand } from '../../../../src/cli/exec-task-command.js';
import { batchScript } from '../../../../src/hpc/executor/job-queue.js';
import type { TaskSpec } from '../../../../src/hpc/executor/task-spec.js';

const roots: string[] = [];
afterEach(() => {
  for (const d of roots.splice(0)) rmSync(d, { recursive: true, force: true });
});

const BUNDLE = `import { writeFileSync } from 'node:fs';
export default { tasks: [
  { name: 'ok', kind: 'artifact', run: async (ctx) => { writeFileSync(ctx.outDir + '/v.txt', String(ctx.config.v)); ctx.log.info('wrote ' + ctx.config.v); } },
  { name: 'bad', kind: 'artifact', run: async () => { process.stderr.write('bad task says hello\\n'); throw new Error('boom'); } },
] };
`;

function setup(tasks: { name: string; v: number }[]): { root: string; dirs: string[]; list: string } {
  const root = mkdtempSync(join(tmpdir(), 'bench-exec-list-'));
  roots.push(root);
  writeFileSync(join(root, 'bundle.mjs'), BUNDLE);
  const dirs = tasks.map((t, i) => {
    const dir = join(root, `job${i}`);
    mkdirSync(dir);
    const spec: TaskSpec = { format: 1, taskName: t.name, taskId: `${t.name}[${i}]`, projectRoot: root, bundle: join(root, 'bundle.mjs'), config: { v: t.v }, points: [], rep: undefined, deps: {}, fingerprint: undefined };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    return dir;
  });
  const list = join(root, 'el-0.list');
  writeFileSync(list, dirs.map((d) => `${d}\n`).join(''));
  return { root, dirs, list };
}

const read = (f: string): string => readFileSync(f, 'utf8');

describe('exec-task on an element list', () => {
  it('runs each task in turn with its own outputs, manifest, stderr and exit file', async () => {
    const { dirs, list } = setup([{ name: 'ok', v: 1 }, { name: 'bad', v: 0 }, { name: 'ok', v: 3 }]);
    expect(await execTaskCommand(list)).toBe(1);
    const [a, b, c] = dirs as [string, string, string];
    expect(read(join(a, 'exit'))).toBe(`0 ${hostname()}\n`);
    expect(read(join(a, 'out', 'v.txt'))).toBe('1');
    expect(read(join(c, 'out', 'v.txt'))).toBe('3');
    expect(JSON.parse(read(join(c, 'manifest.json'))).files).toHaveProperty('v.txt');
    expect(read(join(c, 'log.ndjson'))).toContain('wrote 3');
    // The failing task's stderr is its own: what it wrote and what it threw, nothing of its neighbours.
    expect(read(join(b, 'exit'))).toBe(`1 ${hostname()}\n`);
    expect(read(join(b, 'stderr'))).toMatch(/bad task says hello\n[\s\S]*boom/);
    expect(existsSync(join(b, 'manifest.json'))).toBe(false);
    expect(read(join(a, 'stderr'))).toBe('');
    expect(read(`${list}.done`)).toBe(`${a}\n${b}\n${c}\n`);
  });

  it('skips a task that already has its exit file (a requeued element) and reruns one that has not', async () => {
    const { dirs, list } = setup([{ name: 'ok', v: 1 }, { name: 'ok', v: 2 }]);
    const [a, b] = dirs as [string, string];
    writeFileSync(join(a, 'exit'), '0 c1\n');
    mkdirSync(join(b, 'out'));
    writeFileSync(join(b, 'out', 'stale.txt'), 'from the lost attempt');
    expect(await execTaskCommand(list)).toBe(0);
    expect(read(join(a, 'exit'))).toBe('0 c1\n');
    expect(existsSync(join(a, 'out'))).toBe(false);
    expect(existsSync(join(b, 'out', 'stale.txt'))).toBe(false);
    expect(read(join(b, 'out', 'v.txt'))).toBe('2');
  });
  it('packs each task\'s results into its results.tar before its exit file when files go over SFTP', async () => {
    const { dirs, list } = setup([{ name: 'ok', v: 1 }, { name: 'bad', v: 0 }]);
    process.env.BENCH_EXEC_PACK = '1';
    try {
      expect(await execTaskCommand(list)).toBe(1);
    } finally {
      delete process.env.BENCH_EXEC_PACK;
    }
    const [a, b] = dirs as [string, string];
    const listing = (d: string): string[] => execFileSync('tar', ['-tf', join(d, 'results.tar')], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listing(a)).toEqual(expect.arrayContaining(['out/', 'out/v.txt', 'manifest.json', 'log.ndjson', 'stderr']));
    expect(listing(b)).toEqual(expect.arrayContaining(['error.json', 'stderr']));
    expect(listing(b)).not.toContain('manifest.json');
  });
});

describe('the batch script', () => {
  it('gives a task the process left without an exit file the element\'s status and stderr, and no manifest', () => {
    const { root, dirs } = setup([{ name: 'ok', v: 1 }, { name: 'ok', v: 2 }]);
    const [a, b] = dirs as [string, string];
    // A process that finished the first task, then died half-way through the second.
    const fake = join(root, 'fake.sh');
    writeFileSync(fake, `echo ${a} >>${root}/el-0.list.done; printf '0 c9\\n' >${a}/exit; printf '{}' >${b}/manifest.json; echo 'out of memory' >&2; exit 137\n`);
    writeFileSync(join(root, 'job.sh'), batchScript(root, ['sh', fake]));
    let status = 0;
    try {
      execFileSync('sh', [join(root, 'job.sh')], { env: { ...process.env, SLURM_ARRAY_TASK_ID: '0' } });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(137);
    expect(read(join(a, 'exit'))).toBe('0 c9\n');
    // A finished task's directory is not touched again: the coordinator may be deleting it.
    expect(existsSync(join(a, 'stderr'))).toBe(false);
    expect(read(join(b, 'exit'))).toMatch(/^137 /);
    expect(read(join(b, 'stderr'))).toContain('out of memory');
    expect(existsSync(join(b, 'manifest.json'))).toBe(false);
  });
});
