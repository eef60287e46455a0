// The pattern analysis behind windowed edits: the most line breaks one match can hold.
import { describe, expect, test } from 'vitest';
import { lineReach } from '../../src/detect/line-reach.js';

describe('lineReach', () => {
  test.each([
    [String.raw`\b(tkn_[a-z0-9]{24})\b`, 0],
    [String.raw`pw=(\S{8,})`, 0],
    [String.raw`[^"\s]*`, 0],
    [String.raw`key[ \t]*=[ \t]*(\w+)(?:[\s;]|$)`, 1],
    [String.raw`user:\w+\r?\n(?:pass)`, 1],
    [String.raw`(?:[a-z]+\n){1,3}END`, 3],
    [String.raw`[^}]{0,400}?x`, 400],
    [String.raw`[\x00-\x1f]{2}`, 2],
    [String.raw`(?s).`, 1],
    [String.raw`.+`, 0],
    [String.raw`(?s:.)+`, Infinity],
    [String.raw`key\s*=`, Infinity],
    [String.raw`[^x]+`, Infinity],
    [String.raw`\W*`, Infinity],
    [String.raw`(?<=a)b`, Infinity],
  ])('%s holds at most %d line breaks', (pattern, breaks) => {
    expect(lineReach(pattern).breaks).toBe(breaks);
  });

  test('a pattern that sees where the text starts is marked so', () => {
    expect(lineReach('^HDR').startAnchored).toBe(true);
    expect(lineReach(String.raw`\Afoo`).startAnchored).toBe(true);
    expect(lineReach('(?m)^HDR').startAnchored).toBe(false);
    expect(lineReach('(?m:^a)|b').startAnchored).toBe(false);
  });
});
