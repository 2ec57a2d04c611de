import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { arrayComment, batchScript } from '../../../../src/hpc/executor/job-queue.js';
import { digestTree, manifestMismatches } from '../../../../src/hpc/executor/task-spec.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('output manifests', () => {
  it('digests every file by relative path, sorted, and names each difference', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-manifest-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.json'), '{}');
    writeFileSync(join(dir, 'sub', 'a.arrow'), 'rows');
    const tree = digestTree(dir);
    expect(Object.keys(tree)).toEqual(['b.json', 'sub/a.arrow']);
    expect(tree['b.json']).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(manifestMismatches(tree, tree)).toEqual([]);
    writeFileSync(join(dir, 'b.json'), '{ }');
    writeFileSync(join(dir, 'extra'), '');
    rmSync(join(dir, 'sub', 'a.arrow'));
    const problems = manifestMismatches(tree, digestTree(dir));
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/b\.json: digest .* != reported 44136fa355b3/);
    expect(problems.join('\n')).toMatch(/sub\/a\.arrow: missing/);
    expect(problems.join('\n')).toMatch(/extra: not in the manifest/);
  });
});

describe('batchScript', () => {
  it('runs exec-task on the array element\'s list in one process and gives a task it left unfinished the element\'s status', () => {
    const s = batchScript('/shared/b1', ['/usr/bin/node', '/stage/lib/x/bin/bench.js']);
    expect(s).toContain('l=/shared/b1/el-$SLURM_ARRAY_TASK_ID.list');
    expect(s).toContain(`/usr/bin/node /stage/lib/x/bin/bench.js exec-task "$l" >"$l.stdout" 2>"$l.stderr"`);
    // Only directories without an exit file get one here, with no manifest and the element's stderr.
    expect(s).toContain('[ -e "$d/exit" ] && continue');
    expect(s.indexOf('rm -f "$d/manifest.json"')).toBeLessThan(s.indexOf('mv "$d/exit.tmp" "$d/exit"'));
    expect(s).toContain('cat "$l.stderr" >>"$d/stderr"');
    expect(s).not.toContain('BENCH_EXEC_PACK');
  });

  it('has the process pack each task\'s results when files go over SFTP, and the script pack what it left', () => {
    const s = batchScript('/c/b1', ['node', 'bench.js'], true);
    expect(s).toContain('BENCH_EXEC_PACK=1 node bench.js exec-task');
    expect(s.indexOf('mv results.tar.tmp results.tar')).toBeGreaterThan(0);
    expect(s.indexOf('mv results.tar.tmp results.tar')).toBeLessThan(s.indexOf('"$d/exit.tmp"'));
    expect(batchScript('/c/b1', ['node', 'bench.js'])).not.toContain('results.tar.tmp');
  });
});

describe('arrayComment', () => {
  it('names each task by digest while that fits SLURM\'s field, else only the batch', () => {
    const digest = (i: number) => `${String(i).padStart(4, '0')}${'a'.repeat(60)}`;
    expect(arrayComment('/x/batches/b1-2-0', [digest(1), digest(2)], 'h:1')).toBe('bench-x h:1 b1-2-0 0001aaaaaaaa,0002aaaaaaaa');
    const many = Array.from({ length: 100 }, (_, i) => digest(i));
    expect(arrayComment('/x/batches/b1-2-0', many, 'h:1')).toBe('bench-x h:1 b1-2-0');
  });
});
