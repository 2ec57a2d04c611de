/**
 * Staging over SFTP, for a cluster whose filesystem this machine does not mount: the same plan
 * as `stageProject` (library and project, each once per content hash), each stage packed here
 * as one gzip'd tar, uploaded through the login node and unpacked there into a temp name that is
 * then renamed, so a stage that exists on the cluster is complete.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Logger } from '../../engine/graph/task-def.js';
import { shellQuote as q } from '../remote/quote.js';
import type { Remote } from '../remote/remote.js';
import { finishProjectStage, planStaging, stagedProject, type StagedProject } from './stage-project.js';

/** Unpacking 260 MB of node_modules on a busy login node takes a while. */
const UNPACK_TIMEOUT_MS = 600_000;

export async function stageOverSftp(o: { projectRoot: string; cacheDir: string; remote: Remote; remoteDir: string; log: Logger }): Promise<StagedProject> {
  const plan = planStaging({ projectRoot: o.projectRoot, cacheDir: o.cacheDir, remoteDir: o.remoteDir });
  const there = await o.remote.must(o.remote.head, { script: `for d in ${q(plan.libDest)} ${q(plan.projectDest)}; do [ -d "$d" ] && echo "$d"; done; true` }, 'looking for staged copies');
  const present = new Set(there.split('\n').map((l) => l.trim()));
  let copied = false;
  if (!present.has(plan.libDest)) {
    await upStage(o, plan.libDest, plan.lib, plan.libParts);
    copied = true;
  }
  if (!present.has(plan.projectDest)) {
    const tmp = mkdtempSync(join(tmpdir(), 'bench-stage-'));
    try {
      await execa('cp', ['-a', ...plan.projectParts.map((p) => join(o.projectRoot, p)), `${tmp}/`], { reject: false });
      finishProjectStage(tmp, plan);
      await upStage(o, plan.projectDest, tmp, ['.']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    copied = true;
  }
  return stagedProject(plan, copied);
}

/** Packs `parts` of `from`, uploads the tar and unpacks it at `dest` on the cluster (temp name, then rename). */
async function upStage(o: { remote: Remote; log: Logger }, dest: string, from: string, parts: string[]): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-stage-tar-'));
  try {
    const tarFile = join(work, 'stage.tgz');
    const have = parts.filter((p) => p === '.' || existsSync(join(from, p)));
    const r = await execa('tar', ['-I', 'gzip -1', '-cf', tarFile, '-C', from, ...have], { reject: false });
    if (r.exitCode !== 0) throw new Error(`packing ${from} for staging: ${r.stderr.trim()}`);
    const data = readFileSync(tarFile);
    o.log.info(`executor: uploading ${(data.length / 2 ** 20).toFixed(1)} MiB to ${dest} over SFTP`);
    const upload = `${dest}.upload-${process.pid}.tgz`;
    const tmp = `${dest}.tmp-${process.pid}`;
    await o.remote.must(o.remote.head, ['mkdir', '-p', join(dest, '..')], 'making the staging directory');
    await o.remote.upload(o.remote.head, data, upload);
    // Another coordinator may have staged the same hash meanwhile: theirs is as good as ours.
    const script = `rm -rf ${q(tmp)} && mkdir ${q(tmp)} && tar -xzf ${q(upload)} -C ${q(tmp)} && rm -f ${q(upload)} && ` +
      `{ mv -T ${q(tmp)} ${q(dest)} 2>/dev/null || { rm -rf ${q(tmp)}; test -d ${q(dest)}; }; }`;
    await o.remote.must(o.remote.head, { script }, `unpacking the stage at ${dest}`, UNPACK_TIMEOUT_MS);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
