import { describe, expect, it } from 'vitest';
import { excludeMatcher } from '../../src/sources/glob.js';

describe('excludeMatcher', () => {
  const cases: [string, string, boolean][] = [
    ['*.min.js', 'app.min.js', true],
    ['*.min.js', 'web/dist/app.min.js', true],
    ['*.min.js', 'app.js', false],
    ['vendor', 'vendor/lib/x.go', true],
    ['vendor', 'src/vendor/x.go', true],
    ['vendor', 'src/vendors/x.go', false],
    ['vendor/', 'vendor/x.go', true],
    ['docs/**/*.md', 'docs/a.md', true],
    ['docs/**/*.md', 'docs/guide/deep/b.md', true],
    ['docs/**/*.md', 'src/docs/a.md', false],
    ['/build', 'build/out.js', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/sub/a.ts', false],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file10.txt', false],
    ['[ab].txt', 'b.txt', true],
    ['[!ab].txt', 'b.txt', false],
    ['a+b(c).txt', 'a+b(c).txt', true],
    ['**/fixtures/**', 'test/fixtures/x/y.json', true],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      expect(excludeMatcher([glob])(path)).toBe(expected);
    });
  }

  it('matches nothing without globs', () => {
    expect(excludeMatcher([])('anything')).toBe(false);
  });
});
