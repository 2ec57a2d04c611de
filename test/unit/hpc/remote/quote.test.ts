import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote, shellScript } from '../../../../src/hpc/remote/quote.js';

/** What a real POSIX shell (/bin/sh, dash here) makes of `line`: the argv printf receives, NUL-separated. */
function wordsAfterShell(line: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`]).toString('utf8');
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  '; rm -rf /nonexistent-bench-dir', '$(echo injected)', '`echo injected`', "it's", '"double"', "'", '\'"\'"',
  'line1\nline2\n', '*', '-n', '--', '', ' ', '\t', '$HOME', '~', 'a=b', '\\', '\\\'', '!', '#x', '%1', '{a,b}',
  '[ab]*', '|', '&&', '>out', '<in', 'ünïcødé ✓', '\r\n', '$((1+1))', '${PATH}',
];

describe('shellQuote', () => {
  it('makes every hostile value arrive in a real shell as exactly one word, unchanged', () => {
    expect(wordsAfterShell(HOSTILE.map(shellQuote).join(' '))).toEqual(HOSTILE);
  });

  it('round-trips every byte value 1..255 (as latin1 text) and random strings', () => {
    const all = Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).join('');
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = "'\"`$\\ \n;|&*?()<>!#~=-a";
    const randoms = Array.from({ length: 50 }, () =>
      Array.from({ length: Math.floor(rand() * 12) }, () => alphabet.charAt(Math.floor(rand() * alphabet.length))).join(''));
    const words = [all, ...randoms];
    expect(wordsAfterShell(words.map(shellQuote).join(' '))).toEqual(words);
  });

  it('leaves plain words readable and quotes anything a shell would interpret', () => {
    expect(shellQuote('/usr/bin/env')).toBe('/usr/bin/env');
    expect(shellQuote('--nodes=4')).toBe("'--nodes=4'");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it('refuses a NUL character, which no process argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('shellCommand and shellScript', () => {
  it('joins quoted words and refuses an empty argv', () => {
    expect(shellCommand(['echo', 'a b', '$x'])).toBe("echo 'a b' '$x'");
    expect(() => shellCommand([])).toThrow(/empty/);
  });

  it('passes a script with quotes and newlines to sh -c as one argument', () => {
    const script = `printf '%s|' "it's" 'x y'\necho "$0"`;
    const out = execFileSync('/bin/sh', ['-c', shellScript(script)]).toString('utf8');
    expect(out).toBe("it's|x y|sh\n");
  });
});
