import { describe, expect, it } from 'vitest';
import { commands, files, missingRequirements, skipReason } from './requirements.js';

describe('environment gating', () => {
  it('names every missing command and file in one reason, and nothing when all are there', () => {
    expect(missingRequirements([...commands('sh', 'no-such-tool-x'), ...files('/no/such/file')])).toEqual(['missing no-such-tool-x, /no/such/file']);
    expect(skipReason('t', commands('sh'), {})).toBe('');
  });

  it('skips with the reason locally and fails under CI=true', () => {
    const reqs = commands('no-such-tool-x');
    expect(skipReason('the thing', reqs, {})).toBe('missing no-such-tool-x');
    expect(() => skipReason('the thing', reqs, { CI: 'true' })).toThrow('the thing cannot run under CI: missing no-such-tool-x');
  });
});
