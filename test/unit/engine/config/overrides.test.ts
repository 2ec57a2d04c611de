import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../../src/engine/diagnostic.js';
import { parseOverrides } from '../../../../src/engine/config/overrides.js';

function parse(...texts: string[]) {
  const diagnostics: Diagnostic[] = [];
  return { overrides: parseOverrides(texts, diagnostics), diagnostics };
}

describe('parseOverrides', () => {
  it('types values as YAML does and keeps quoted values as strings', () => {
    const { overrides } = parse('a=10', 'b="10"', 'c=true', 'd=[1, 2]', 'e={x: 1}', 'f=null', 'g=7-0');
    expect(overrides.map((o) => (o.kind === 'set' ? o.value : o.kind))).toEqual([10, '10', true, [1, 2], { x: 1 }, null, '7-0']);
  });

  it('reads +, ++ and ~ forms', () => {
    const { overrides } = parse('+a.b=1', '++a.c=2', '~a.d', '~a.e=3');
    expect(overrides.map((o) => [o.kind, o.kind === 'set' ? o.mode : '', 'key' in o ? o.key : ''])).toEqual([
      ['set', 'add', 'a.b'], ['set', 'force', 'a.c'], ['remove', '', 'a.d'], ['remove', '', 'a.e'],
    ]);
  });

  it('reads comma sweeps but not commas inside brackets or quotes', () => {
    const { overrides } = parse('a=1,2,x', 'b=[1,2]', 'c="x,y"', "d='p,q',r");
    expect(overrides).toMatchObject([
      { kind: 'sweep', key: 'a', values: [1, 2, 'x'] },
      { kind: 'set', key: 'b', value: [1, 2] },
      { kind: 'set', key: 'c', value: 'x,y' },
      { kind: 'sweep', key: 'd', values: ['p,q', 'r'] },
    ]);
  });

  it('reads choice(...) as a sweep, even of one value', () => {
    const { overrides } = parse('a=choice(x, 2)', 'b=choice(only)');
    expect(overrides).toMatchObject([{ kind: 'sweep', values: ['x', 2] }, { kind: 'sweep', values: ['only'] }]);
  });

  it('expands range() with Python semantics (stop excluded, default start 0, negative steps)', () => {
    const { overrides } = parse('a=range(3)', 'b=range(10,40,10)', 'c=range(5,0,-2)', 'd=range(0,1,0.25)');
    expect(overrides.map((o) => (o.kind === 'sweep' ? o.values : o.kind))).toEqual([[0, 1, 2], [10, 20, 30], [5, 3, 1], [0, 0.25, 0.5, 0.75]]);
  });

  it('reads zip(a=...;b=...) as lockstep lists', () => {
    const { overrides } = parse('zip(scheduler=slurm,flux;seed=1,2)');
    expect(overrides).toMatchObject([{ kind: 'zip', params: [{ key: 'scheduler', values: ['slurm', 'flux'] }, { key: 'seed', values: [1, 2] }] }]);
  });

  it('reports malformed overrides, all of them', () => {
    const { overrides, diagnostics } = parse('novalue', '=3', 'a=range(1,x)', 'a=range(1,5,0)', '+a=1,2', 'zip(a=1,2;b=1)', 'ok=1');
    expect(overrides).toHaveLength(1);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'bad override "novalue": expected key=value',
      'bad override "=3": "" is not a key path',
      'bad override "a=range(1,x)": range() takes 1 to 3 numbers',
      'bad override "a=range(1,5,0)": range() step must not be 0',
      'bad override "+a=1,2": a sweep cannot be combined with + or ++',
      'bad override "zip(a=1,2;b=1)": zip(...) lists must have the same length',
    ]);
  });
});
