import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/cli/open-project.js';
import { sha256Hex } from '../../../src/engine/hash/canonical-json.js';
import type { Task } from '../../../src/engine/graph/task-graph.js';

const dirs: string[] = [];

function project(inputs: string[], files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-open-project-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  writeFileSync(join(root, 'benchfile.ts'), `export default { tasks: [{ kind: 'artifact', name: 't', version: 1, inputs: ${JSON.stringify(inputs)}, async run() {} }] };\n`);
  return root;
}

async function inputsOfOnlyTask(root: string): Promise<Record<string, string>> {
  const { project: p, diagnostics } = await openProject(root, []);
  expect(diagnostics).toEqual([]);
  const task = [...(p?.graph.tasks.values() ?? [])][0] as Task;
  const inputs = { ...p?.inputsOf(task) };
  p?.store.close();
  return inputs;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openProject inputsOf', () => {
  it('expands glob patterns to the matching files, sorted, next to plain paths', async () => {
    const root = project(['data/*.txt', 'plain.txt'], { 'data/b.txt': 'b', 'data/a.txt': 'a', 'data/c.csv': 'c', 'plain.txt': 'p' });
    expect(await inputsOfOnlyTask(root)).toEqual({ 'data/a.txt': sha256Hex('a'), 'data/b.txt': sha256Hex('b'), 'plain.txt': sha256Hex('p') });
  });

  it('takes a plain path as one file, missing or not', async () => {
    const root = project(['here.txt', 'gone.txt'], { 'here.txt': 'h' });
    expect(await inputsOfOnlyTask(root)).toEqual({ 'here.txt': sha256Hex('h'), 'gone.txt': 'missing' });
  });
});
