import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/parse-args.js';

describe('parseArgs', () => {
  it('separates targets, overrides and options for the default run command', () => {
    const { args, diagnostics } = parseArgs(['workload:run[scheduler=slurm]', 'scheduler=slurm', '-j', '3', '--force', 'image:build', '--keep-going', '--dry-run']);
    expect(diagnostics).toEqual([]);
    expect(args).toMatchObject({ command: 'run', targets: ['workload:run[scheduler=slurm]'], overrides: ['scheduler=slurm'], jobs: 3, force: ['image:build'], keepGoing: true, dryRun: true });
  });

  it('collects every mistake at once', () => {
    const { diagnostics } = parseArgs(['-j', 'zero', '--bogus', '--force']);
    expect(diagnostics.map((d) => d.message)).toEqual(['-j expects a positive integer', 'unknown option --bogus', '--force needs a value']);
  });
});
