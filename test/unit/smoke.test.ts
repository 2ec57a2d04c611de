import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';

describe('build', () => {
  it('emits the public API', () => {
    expect(existsSync(new URL('../../dist/index.d.ts', import.meta.url))).toBe(true);
  });
});
