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

  it('takes every override form on run commands, not only key=value', () => {
    const { args, diagnostics } = parseArgs(['status', 'metrics', '~seed', '++seed=3', '+x.y=1', 'zip(a=1,2;b=x,y)', 'workload:run[seed=1]']);
    expect(diagnostics).toEqual([]);
    expect(args.overrides).toEqual(['~seed', '++seed=3', '+x.y=1', 'zip(a=1,2;b=x,y)']);
    expect(args.targets).toEqual(['metrics', 'workload:run[seed=1]']);
  });

  it('accepts --jobs=N, --force=T and -jN like their spaced forms', () => {
    const { args, diagnostics } = parseArgs(['--jobs=4', '--force=image:build', '--format=dot']);
    expect(diagnostics).toEqual([]);
    expect(args).toMatchObject({ jobs: 4, force: ['image:build'], format: 'dot' });
    expect(parseArgs(['-j2']).args.jobs).toBe(2);
    expect(parseArgs(['--jobs=0']).diagnostics[0]).toMatchObject({ message: '--jobs expects a positive integer', found: '0' });
  });

  it('asks for help with no arguments, --help, -h, help, or COMMAND --help', () => {
    expect(parseArgs([]).args.help).toBe(true);
    expect(parseArgs(['--help']).args).toMatchObject({ help: true, command: 'run' });
    expect(parseArgs(['graph', '-h']).args).toMatchObject({ help: true, command: 'graph' });
    expect(parseArgs(['help', 'config']).args).toMatchObject({ help: true, command: 'help', rest: ['config'] });
    expect(parseArgs(['config', 'show', '--help']).args).toMatchObject({ help: true, command: 'config' });
    expect(parseArgs(['--version']).args.version).toBe(true);
    expect(parseArgs(['run']).args.help).toBe(false);
  });
});
