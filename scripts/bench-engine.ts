/**
 * Engine benchmark: the same synthetic DAG as a bench project, a Makefile and a build.ninja.
 * P chains of 10 stages (N = 10·P stage tasks), a fan-in task per 10 chains, one report:
 * N + N/100 + 1 tasks. Stage 1 copies the first line of its input file; later stages copy their
 * predecessor. Times full build, no-op, dry run, a one-file edit, a touch, and an edit that leaves
 * stage 1's output unchanged, for bench, make and ninja in the same invocation; and bench's no-op
 * without its run stamp (graph built, every task planned), and the same for the dry run, against
 * the same make and ninja runs.
 *
 *   npm run bench:engine -- --sizes=10000,100000 --runs=5 [--no-edits] [--keep-env]
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
if (process.argv.includes('--help')) {
  console.log('npm run bench:engine -- [--sizes=10000,100000] [--runs=5] [--no-edits] [--keep-env]\n  --sizes     stage-task counts N (multiples of 100)\n  --runs      timed runs per no-op / dry-run row (median printed)\n  --no-edits  skip the edit / touch rows\n  --keep-env  time with NODE_EXTRA_CA_CERTS as set (Node parses it at start-up)');
  process.exit(0);
}
const sizes = arg('sizes', '10000,100000').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const pad = (c: number) => String(c).padStart(6, '0');

const BENCHFILE = `import type { ArtifactTaskDef, Benchfile } from 'bench';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const P = Number(readFileSync('chains.txt', 'utf8'));
const pad = (c: number) => String(c).padStart(6, '0');
const tasks: ArtifactTaskDef[] = [];
const copy = (from: string, to: string) => writeFileSync(to, readFileSync(from));
for (let c = 0; c < P; c++) {
  tasks.push({ kind: 'artifact', name: 's1:c' + pad(c), version: 1, inputs: ['in/c' + pad(c) + '.txt'],
    async run(ctx) { writeFileSync(join(ctx.outDir, 'out.txt'), readFileSync(join(ctx.projectRoot, 'in/c' + pad(c) + '.txt'), 'utf8').split('\\n')[0] + '\\n'); } });
  for (let s = 2; s <= 10; s++) {
    const dep = 's' + (s - 1) + ':c' + pad(c);
    tasks.push({ kind: 'artifact', name: 's' + s + ':c' + pad(c), version: 1, needs: [dep],
      async run(ctx) { copy(join(ctx.deps[dep]![0]!.dir, 'out.txt'), join(ctx.outDir, 'out.txt')); } });
  }
}
for (let g = 0; g < P / 10; g++) {
  const needs = Array.from({ length: 10 }, (_, k) => 's10:c' + pad(g * 10 + k));
  tasks.push({ kind: 'artifact', name: 'fan:g' + pad(g), version: 1, needs,
    async run(ctx) { writeFileSync(join(ctx.outDir, 'out.txt'), needs.map((n) => readFileSync(join(ctx.deps[n]![0]!.dir, 'out.txt'), 'utf8')).join('')); } });
}
const fans = Array.from({ length: P / 10 }, (_, g) => 'fan:g' + pad(g));
tasks.push({ kind: 'artifact', name: 'report', version: 1, needs: fans,
  async run(ctx) { writeFileSync(join(ctx.outDir, 'out.txt'), String(fans.length)); } });
export default { tasks } satisfies Benchfile;
`;

function makeProject(n: number): string {
  const P = n / 10;
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  mkdirSync(join(dir, 'in'));
  mkdirSync(join(dir, 'out'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'bench'));
  writeFileSync(join(dir, 'chains.txt'), String(P));
  writeFileSync(join(dir, 'benchfile.ts'), BENCHFILE);
  const mk: string[] = ['all: out/report.txt'];
  const nj: string[] = ['rule first\n  command = head -n1 $in > $out', 'rule cp\n  command = cp $in $out', 'rule cat\n  command = cat $in > $out'];
  for (let c = 0; c < P; c++) {
    writeFileSync(join(dir, 'in', `c${pad(c)}.txt`), `chain ${c}\n`);
    mk.push(`out/s1_c${pad(c)}.txt: in/c${pad(c)}.txt\n\thead -n1 $< > $@`);
    nj.push(`build out/s1_c${pad(c)}.txt: first in/c${pad(c)}.txt`);
    for (let s = 2; s <= 10; s++) {
      mk.push(`out/s${s}_c${pad(c)}.txt: out/s${s - 1}_c${pad(c)}.txt\n\tcp $< $@`);
      nj.push(`build out/s${s}_c${pad(c)}.txt: cp out/s${s - 1}_c${pad(c)}.txt`);
    }
  }
  const fans: string[] = [];
  for (let g = 0; g < P / 10; g++) {
    const ins = Array.from({ length: 10 }, (_, k) => `out/s10_c${pad(g * 10 + k)}.txt`).join(' ');
    fans.push(`out/fan_g${pad(g)}.txt`);
    mk.push(`out/fan_g${pad(g)}.txt: ${ins}\n\tcat $^ > $@`);
    nj.push(`build out/fan_g${pad(g)}.txt: cat ${ins}`);
  }
  mk.push(`out/report.txt: ${fans.join(' ')}\n\tcat $^ > $@`);
  nj.push(`build out/report.txt: cat ${fans.join(' ')}`);
  writeFileSync(join(dir, 'Makefile'), `${mk.join('\n')}\n`);
  writeFileSync(join(dir, 'build.ninja'), `${nj.join('\n')}\n`);
  return dir;
}

interface Timed { s: number; out: string; rss?: number }

// NODE_EXTRA_CA_CERTS makes Node 20 parse the named bundle at start-up, before any of bench runs
// (~25 ms of CPU, 60+ ms of wall time on a loaded machine, for 144 certificates). It is a setting
// of the machine, not of bench, and make and ninja do not pay it: timed commands run without it
// unless --keep-env.
const keepEnv = process.argv.includes('--keep-env');
const env = { ...process.env };
if (!keepEnv) delete env['NODE_EXTRA_CA_CERTS'];

function time(dir: string, cmd: string[]): Timed {
  // python3 reports the child's peak RSS (KiB) through getrusage(RUSAGE_CHILDREN).
  const wrap = ['-c', 'import resource,subprocess,sys,time; t=time.time(); r=subprocess.run(sys.argv[1:],capture_output=True,text=True); d=time.time()-t; sys.stdout.write(r.stdout+r.stderr+"\\n@@%f %d" % (d, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))', ...cmd];
  const r = spawnSync('python3', wrap, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, env });
  const m = /@@([\d.]+) (\d+)$/.exec(r.stdout) as RegExpExecArray;
  return { s: Number(m[1]), out: r.stdout, rss: Number(m[2]) / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const tools = { bench: [process.execPath, join(REPO, 'bin', 'bench.js'), 'report'], make: ['make', '-j2'], ninja: ['ninja', '-j2'] };
const dry = { bench: [...tools.bench, '--dry-run'], make: ['make', '-n'], ninja: ['ninja', '-n'] };
const reran = (tool: string, out: string): number =>
  tool === 'bench' ? Number(/done: (\d+) ran/.exec(out)?.[1] ?? NaN)
    : tool === 'make' ? out.split('\n').filter((l) => /^(head|cp|cat) /.test(l)).length
      : out.split('\n').filter((l) => /^\[\d+\/\d+\]/.test(l)).length;

function row(label: string, t: Record<string, number>, extra = ''): void {
  const r = (a: string) => (t[a] !== undefined && t.bench !== undefined ? `${(t.bench / (t[a] as number)).toFixed(2)}` : '-');
  console.log(`${label.padEnd(26)} bench ${t.bench?.toFixed(3)} s   make ${t.make?.toFixed(3)} s   ninja ${t.ninja?.toFixed(3)} s   bench/make ${r('make')}   bench/ninja ${r('ninja')}${extra}`);
}

if (process.env['NODE_EXTRA_CA_CERTS']) console.log(keepEnv ? 'NODE_EXTRA_CA_CERTS is set and kept (--keep-env): bench pays its start-up cost' : 'NODE_EXTRA_CA_CERTS is unset for the timed commands (--keep-env keeps it)');
for (const n of sizes) {
  const dir = makeProject(n);
  console.log(`\nN = ${n}: ${n + n / 100 + 1} tasks (${dir})`);
  const each = (cmds: Record<string, string[]>, k: number, before?: () => void) => {
    const out: Record<string, Timed[]> = {};
    for (const [tool, cmd] of Object.entries(cmds)) {
      out[tool] = [];
      for (let i = 0; i < k; i++) {
        before?.();
        out[tool].push(time(dir, cmd));
      }
    }
    return out;
  };
  const med = (o: Record<string, Timed[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, median(v.map((x) => x.s))]));
  const full = each(tools, 1);
  row('full build', med(full));
  const noop = each(tools, runs);
  row(`no-op (median of ${runs})`, med(noop), `   bench peak RSS ${median((noop.bench ?? []).map((x) => x.rss ?? 0)).toFixed(0)} MiB`);
  const dryRuns = med(each(dry, runs));
  row(`dry run (median of ${runs})`, dryRuns);
  // The same no-op with the run stamp removed first: the graph is built and every task planned.
  const unstamped = each({ bench: tools.bench }, runs, () => rmSync(join(dir, 'cache', 'run-stamp.json'), { force: true }));
  row(`no-op, no stamp (med. ${runs})`, { ...med(unstamped), make: med(noop).make as number, ninja: med(noop).ninja as number });
  const dryUnstamped = each({ bench: dry.bench }, runs, () => rmSync(join(dir, 'cache', 'run-stamp.json'), { force: true }));
  row(`dry run, no stamp (med. ${runs})`, { ...med(dryUnstamped), make: dryRuns.make as number, ninja: dryRuns.ninja as number });
  if (process.argv.includes('--no-edits')) {
    rmSync(dir, { recursive: true, force: true });
    continue;
  }
  const counts = (o: Record<string, Timed[]>) => Object.entries(o).map(([k, v]) => `${k} ${reran(k, (v[0] as Timed).out)}`).join(', ');
  const file = join(dir, 'in', `c${pad(0)}.txt`);
  const perTool = (before: () => void) => {
    const o: Record<string, Timed[]> = {};
    for (const [tool, cmd] of Object.entries(tools)) {
      // Bring this tool up to date first, so the timed run sees only the change under test.
      time(dir, cmd);
      before();
      o[tool] = [time(dir, cmd)];
    }
    return o;
  };
  let edits = 0;
  const edit = perTool(() => writeFileSync(file, `chain 0 edited ${++edits}\n`));
  row('edit one input', med(edit), `   reran: ${counts(edit)}`);
  const touch = perTool(() => { const t = new Date(Date.now() + ++edits * 1000); utimesSync(file, t, t); });
  row('touch one input', med(touch), `   reran: ${counts(touch)}`);
  const same = perTool(() => appendFileSync(file, `comment ${++edits}\n`));
  row('edit, same stage-1 output', med(same), `   reran: ${counts(same)}`);
  rmSync(dir, { recursive: true, force: true });
}
