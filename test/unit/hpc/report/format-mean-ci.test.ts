import { describe, expect, it } from 'vitest';
import { formatMeanCi } from '../../../../src/hpc/report/escape-html.js';

describe('mean ± ci95 cells', () => {
  it('shows the interval when there is one', () => {
    expect(formatMeanCi({ mean: 5800, ci95: 123.456 })).toBe('5800 ± 123.5');
  });
  it('shows the mean alone for a single repetition, never "± NaN"', () => {
    expect(formatMeanCi({ mean: 5800, ci95: Number.NaN })).toBe('5800');
    expect(formatMeanCi({ mean: 1.0567, ci95: Number.POSITIVE_INFINITY })).toBe('1.057');
  });
});
