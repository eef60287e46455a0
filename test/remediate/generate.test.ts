// New values: same length and character classes, never the old value; a command's output; stdin.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterClasses, generateLike, valueFromCommand, valueFromStdin } from '../../src/remediate/generate.js';
import { Secret } from '../../src/secret.js';

function classesOf(value: string): string[] {
  return [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).map(String);
}

describe('generateLike', () => {
  it('keeps length and classes, draws symbols only from the old value, and never repeats it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 64, unit: fc.constantFrom(...'aZ9_-./+=xY3'.split('')) }), (old) => {
        const next = generateLike(new Secret(old)).reveal();
        expect(next).toHaveLength(old.length);
        expect(next).not.toBe(old);
        const symbols = new Set(old.replace(/[A-Za-z0-9]/g, ''));
        for (const ch of next.replace(/[A-Za-z0-9]/g, '')) expect(symbols.has(ch)).toBe(true);
        if (old.length >= characterClasses(old).length) expect(classesOf(next)).toEqual(classesOf(old));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps hex values hex', () => {
    const next = generateLike(new Secret('0123456789abcdef0123456789abcdef')).reveal();
    expect(next).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('supplied values', () => {
  it('--generator takes one line of stdout; a failing or empty command is an error', async () => {
    expect((await valueFromCommand('printf "%s\\n" abc-def', { PATH: process.env.PATH })).reveal()).toBe('abc-def');
    await expect(valueFromCommand('exit 3', { PATH: process.env.PATH })).rejects.toThrow('--generator: the command exited with code 3');
    await expect(valueFromCommand('true', { PATH: process.env.PATH })).rejects.toThrow('--generator gave an empty value');
    await expect(valueFromCommand('printf "a\\nb\\n"', { PATH: process.env.PATH })).rejects.toThrow('--generator gave more than one line');
  });

  it('--value-stdin reads one line', async () => {
    expect((await valueFromStdin(Readable.from([Buffer.from('new-value\n')]))).reveal()).toBe('new-value');
    await expect(valueFromStdin(undefined)).rejects.toThrow('--value-stdin: no stdin');
  });
});
