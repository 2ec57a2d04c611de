import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clientFilesGlob, jobFiles, jobSbatchArgv, renderJobScript } from '../../../../src/hpc/services/job-script.js';
import { ClientSchema, ServiceSchema } from '../../../../src/hpc/services/recipe-schema.js';
import { clientKindFor, CLIENTS, serviceKindFor, SERVICES } from '../../../../src/hpc/services/registry.js';

const CONF = join(import.meta.dirname, '../../../../conf');
const options = (group: string) => readdirSync(join(CONF, group)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
const recipe = (group: string, name: string) => parse(readFileSync(join(CONF, group, `${name}.yaml`), 'utf8')) as Record<string, unknown>;

const HOSTILE = ['; touch /tmp/bench-injected', '$(echo injected)', '`echo injected`', "it's", '"dq"', 'line1\nline2', '*', '$HOME', '', '\\', '!', '#x', '${PATH}', '&&', '>out'];

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/**
 * Runs a rendered job script in a real /bin/sh with `fake` standing in for the program it execs
 * (found on PATH, or at `dir/<path>` for a program the recipe names by path); returns what it received.
 */
function runWithFake(render: (dir: string) => string, program: string): { args: string[]; env: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-svc-test-'));
  dirs.push(dir);
  const script = render(dir);
  const fake = join(dir, program);
  mkdirSync(join(fake, '..'), { recursive: true });
  writeFileSync(fake, `#!/bin/sh\nprintf '%s\\0' "$@" > ${dir}/args\nprintf '%s\\0' "$VAL_A" "$VAL_B" > ${dir}/env\n`);
  chmodSync(fake, 0o755);
  execFileSync('/bin/sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin`, SLURM_JOB_ID: `t${process.pid}` }, cwd: dir });
  rmSync(`/tmp/bench-svc-unit0000-t${process.pid}.d`, { recursive: true, force: true });
  const read = (f: string) => readFileSync(join(dir, f), 'utf8').split('\0').slice(0, -1);
  return { args: read('args'), env: read('env') };
}

describe('recipes in conf/', () => {
  it('has a client option of the same name for every service option, each valid, loading that service', () => {
    expect(options('service')).toEqual(options('client'));
    expect(options('service')).toEqual(expect.arrayContaining(['none', 'redis', 'nginx']));
    for (const name of options('service')) {
      const s = ServiceSchema.safeParse(recipe('service', name));
      const c = ClientSchema.safeParse(recipe('client', name));
      expect(s.success, `${name}: ${JSON.stringify(s.error?.issues)}`).toBe(true);
      expect(c.success, `${name}: ${JSON.stringify(c.error?.issues)}`).toBe(true);
      if (name !== 'none') expect(recipe('client', name)['service']).toBe(recipe('service', name)['name']);
    }
  });

  it('names every kind in the registry and refuses an unknown one with the list', () => {
    for (const s of SERVICES) expect(serviceKindFor(s.kind)).toBe(s);
    for (const c of CLIENTS) expect(clientKindFor(c.kind)).toBe(c);
    expect(serviceKindFor('ollama')).toMatch(/expected one of redis, nginx/);
  });

  it('rejects values that would reach a shell or a job name unchecked', () => {
    const bad = { ...recipe('service', 'redis'), name: 'a;b', env: { 'A B': 'x' }, port: 70000 };
    const issues = ServiceSchema.safeParse(bad).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues).toEqual(expect.arrayContaining(['name', 'env.A B', 'port']));
    const client = { ...recipe('client', 'nginx'), path: '/a b', tests: undefined };
    expect(ClientSchema.safeParse(client).error?.issues.map((i) => i.path.join('.'))).toContain('path');
  });
});

describe('job scripts', () => {
  it('pass hostile recipe args and env values to the service in a real shell as single, unchanged words', () => {
    // On the host (container.test.ts covers podman): the inference service runs its venv's python
    // (a path in the recipe), the others a program on PATH.
    const programs: Record<string, string> = { redis: 'redis-server', nginx: 'nginx', inference: 'venv/bin/python' };
    for (const s of SERVICES) {
      const render = (dir: string) => {
        const config = { ...recipe('service', s.kind), runtime: 'host', args: HOSTILE, venv: join(dir, 'venv') };
        return renderJobScript({ role: 'svc', token: 'unit0000', label: 'test', env: { VAL_A: HOSTILE.join('\n'), VAL_B: "'; echo x" }, body: s.renderScript(config) });
      };
      const got = runWithFake(render, programs[s.kind] ?? s.kind);
      expect(got.args.slice(-HOSTILE.length), s.kind).toEqual(HOSTILE);
      expect(got.env).toEqual([HOSTILE.join('\n'), "'; echo x"]);
    }
  });

  it('a job name or environment name that is not a bare word is a bug, never rendered', () => {
    expect(() => renderJobScript({ role: 'svc', token: 'unit0000', label: 'x', env: { 'A;B': '1' }, body: '' })).toThrow(/environment variable name/);
    expect(() => jobSbatchArgv({ role: 'svc', token: '../x', name: 'bench-svc-x', resources: { cores: 1, memory_mib: 64, time_min: 1 } })).toThrow(/token/);
  });

  it('keep their files apart by the service\'s token: two clusters numbering jobs from 1 never share a path', () => {
    // netns clusters share this machine's /tmp and both start at job 1.
    const a = { svc: jobFiles('svc', 'clustera1', 1), client: jobFiles('client', 'clustera1', 2) };
    const b = { svc: jobFiles('svc', 'clusterb2', 1), client: jobFiles('client', 'clusterb2', 2) };
    expect(a.svc).toEqual({ output: '/tmp/bench-svc-clustera1-1.out', dir: '/tmp/bench-svc-clustera1-1.d' });
    const all = [a.svc, a.client, b.svc, b.client].flatMap((f) => [f.output, f.dir]);
    expect(new Set(all).size).toBe(all.length);
    // What sbatch writes (--output) and what the script uses ($D) are the paths bench reads and removes.
    const resources = { cores: 1, memory_mib: 64, time_min: 1 };
    expect(jobSbatchArgv({ role: 'client', token: 'clusterb2', name: 'bench-client-x', resources })).toContain('--output=/tmp/bench-client-clusterb2-%j.out');
    const script = renderJobScript({ role: 'client', token: 'clusterb2', label: 'x', env: {}, body: 'pwd' });
    const out = execFileSync('/bin/sh', ['-c', script], { env: { PATH: '/usr/bin:/bin', SLURM_JOB_ID: '2' }, encoding: 'utf8' });
    rmSync(b.client.dir, { recursive: true, force: true });
    expect(out.trim()).toBe(b.client.dir);
    // The service's teardown removes its clients' files by a glob of its token alone.
    expect(clientFilesGlob('clusterb2')).toBe('/tmp/bench-client-clusterb2-*');
    // A handle from before tokens still finds its files by job id alone.
    expect(jobFiles('svc', undefined, 1).output).toBe('/tmp/bench-svc-1.out');
  });
});
