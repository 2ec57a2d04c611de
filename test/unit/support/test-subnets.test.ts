/**
 * Test files that bring up real clusters run in parallel, and two clusters on one subnet refuse
 * each other ("subnet ... is already in use"): each such file needs a subnet of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TEST = fileURLToPath(new URL('../../', import.meta.url));
const DIRS = ['integration', 'conformance'];

describe('subnets of the real-cluster tests', () => {
  it('are distinct across test files', () => {
    const owners = new Map<string, string[]>();
    for (const dir of DIRS) {
      for (const f of readdirSync(join(TEST, dir)).filter((n) => n.endsWith('.ts'))) {
        const text = readFileSync(join(TEST, dir, f), 'utf8');
        for (const subnet of new Set(text.match(/\b10\.\d+\.0\.0\/24\b/g) ?? [])) owners.set(subnet, [...(owners.get(subnet) ?? []), `${dir}/${f}`]);
      }
    }
    const shared = [...owners].filter(([, files]) => files.length > 1);
    expect(owners.size).toBeGreaterThan(5);
    expect(shared).toEqual([]);
  });
});
