// Scanning an edit in windows around its changed lines gives what a whole scan gives: generated texts and edits.
import RE2 from 're2';
import { describe, expect, test } from 'vitest';
import { createDetector, type EditBase } from '../../src/detect/detector.js';
import { changedLines, editWindows } from '../../src/detect/edit-lines.js';
import type { Chunk, Finding, RuleSpec, ScanNote } from '../../src/types.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

const KEY = Buffer.from('edit-test-key');

function rule(id: string, regex: string, keywords: string[]): RuleSpec {
  return { id, description: id, regex, keywords, allowlists: [], tags: [], severity: 'high', confidence: 'medium', examples: [], counterexamples: [] };
}

// Rules whose matches hold no line break, one, a few, any number (`\s*`), or that see where the text starts.
const rules = [
  rule('token', String.raw`\b(tkn_[a-z0-9]{12})\b`, ['tkn_']),
  rule('pair', String.raw`user:[ \t]*\w+\r?\n[ \t]*pass:[ \t]*(\S{8,})`, ['pass:']),
  rule('assign', String.raw`(?m)(?:^|[^\w.\-])[\w.\-]*?(?i:secret)[ \t]*=[ \t]*"?([A-Za-z0-9]{12,})"?(?:[\s;,)]|$)`, ['secret']),
  rule('spaced', String.raw`key\s*=\s*(K[A-Z0-9]{10})`, ['key']),
  rule('header', String.raw`^HDR([0-9]{6})`, ['hdr']),
  rule('line-end', String.raw`(?m)\b([A-Z]{4}-[0-9]{4})$`, ['-']),
  rule('block', String.raw`BEGIN\n((?:[a-z0-9]+\n){1,3})END\b`, ['begin']),
  rule('empty', String.raw`(?m)^(x*)$`, ['x']),
  // Its keyword is no part of its match: an edit may delete the keyword and keep the match.
  rule('far', String.raw`\b(FAR[0-9]{8})\b`, ['farkey']),
];
const { detector } = createDetector({ rules, allowlists: [] }, { fingerprintKey: KEY });


// Lines that make matches alone, together with their neighbours, or across a changed line.
const vocabulary = [
  'user: alice', 'pass: hunter2hunter', '  pass:  s3cr3tvalue!', 'secret = "abcdefgh12345"', 'db_secret=Zx9Zx9Zx9Zx9Zx', 'key =', '  K1234567890',
  'key = K0987654321', 'BEGIN', 'abc123', 'def', 'END', 'ENDING', '', '}', '{', 'HDR123456', 'ABCD-1234', 'WXYZ-9876 trailing', 'x', 'xxx',
  'tkn_abcdef123456', 'a tkn_zzzzzz999999 b', 'plain text here', 'return 0;', 'é déjà vu', '日本 secret = "nonasciiVALUE1"', '\t', '   ',
  'farkey:', 'FAR12345678', 'the FAR87654321 value',
];

// Groups of lines a match spans: an edit to one of their lines changes the match.
const groups = [
  ['user: bob', 'pass: longpassword1'],
  ['user: carol', '', 'pass: notapair12345'],
  ['BEGIN', 'abc', 'd3f', 'END'],
  ['BEGIN', 'a', 'b', 'c', 'd', 'END'],
  ['key =', '', '', '  K1234567890'],
  ['ABCD-1234', 'EFGH-5678'],
  // Near misses: an edit that lengthens one line makes the match.
  ['user: bob', 'pass: short'],
  ['BEGIN', 'abc', 'd3f', 'EN'],
  ['BEGIN', 'abc', 'd3f', 'END'].map((l, i) => (i === 0 ? 'BEGI' : l)),
  ['key =', '', '', '  K12345'],
  ['user: dave', 'pass:'],
];
/** What a lengthening edit appends to a line. */
const tails = ['D', 'N', 'zz9zz9zz9', '67890', '-1234', ' = K1234567890'];

/** A line with its letters and digits replaced at random: the same shape, another value. */
function reword(rand: () => number, line: string): string {
  return line.replace(/[a-z0-9]/g, (c) => (rand() < 0.3 ? (/[0-9]/.test(c) ? String(Math.floor(rand() * 10)) : 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rand() * 26)]!) : c));
}

function generate(rand: () => number, lines: number): string[] {
  const out: string[] = [];
  while (out.length < lines) {
    const roll = rand();
    if (roll < 0.05) out.push(...groups[Math.floor(rand() * groups.length)]!);
    else if (roll < 0.3) out.push(vocabulary[Math.floor(rand() * vocabulary.length)]!);
    // Long filler lines keep windows (merged when closer than 2 KB) apart, so that most edits are matched in windows.
    else out.push(`filler ${Math.floor(rand() * 1000)} `.repeat(12));
  }
  return out;
}

/** An edit: lines inserted, deleted, replaced, moved, split or joined; sometimes at the start or the end. */
function edit(rand: () => number, lines: string[]): string[] {
  const out = [...lines];
  for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
    const at = Math.floor(rand() * (out.length + 1));
    const roll = rand();
    if (roll < 0.25) out.splice(at, 0, ...generate(rand, 1 + Math.floor(rand() * 3)));
    else if (roll < 0.45) out.splice(at, 1 + Math.floor(rand() * 3));
    else if (roll < 0.6) out.splice(at, 1, ...generate(rand, 1));
    else if (roll < 0.7 && out.length > 4) out.splice(Math.floor(rand() * out.length), 0, ...out.splice(at, 2));
    else if (roll < 0.8 && at < out.length) out.splice(at, 1, out[at]!.slice(0, 3), out[at]!.slice(3));
    else if (roll < 0.85 && at + 1 < out.length) out.splice(at, 2, out[at]! + out[at + 1]!);
    else if (roll < 0.95 && at < out.length) out[at] = reword(rand, out[at]!);
    else if (at < out.length) out[at] += tails[Math.floor(rand() * tails.length)]!;
  }
  return out;
}

function chunkOf(text: string): Chunk {
  const chunk: Chunk = { text, provenance: { kind: 'file', path: 'src/app.conf' } };
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length === text.length ? { ...chunk, asciiBytes: bytes } : chunk;
}

function plain(findings: Finding[]) {
  return findings.map((f) => ({ rule: f.ruleId, location: f.location, secret: f.secret.reveal(), line: f.line.reveal(), fingerprint: f.fingerprint }));
}

/**
 * The rules an edit knows quiet are those a whole scan knows quiet, and perhaps rules a base keyword picked
 * although the edit deleted it: those must have no match at all. Its keywords hold the whole text's.
 */
function expectSameQuiet(asEdit: EditBase | undefined, whole: EditBase | undefined, text: string): void {
  const extra = [...(asEdit?.quiet ?? [])].filter((r) => !whole?.quiet.has(r));
  expect([...(whole?.quiet ?? [])].filter((r) => !asEdit?.quiet.has(r))).toEqual([]);
  for (const r of extra) expect(new RE2(rules[r]!.regex!).test(text), `rule ${rules[r]!.id} has a match`).toBe(false);
  expect([...(whole?.keywords ?? [])].filter((k) => !asEdit?.keywords.has(k))).toEqual([]);
}

describe('detectEdit', () => {
  test('an edit scanned against its base finds what a whole scan finds, and knows the same rules quiet', () => {
    const rand = random(16);
    let windowed = 0;
    for (let round = 0; round < 300; round++) {
      let lines = generate(rand, rand() < 0.2 ? 1 + Math.floor(rand() * 10) : 100 + Math.floor(rand() * 200));
      let base: EditBase | undefined;
      for (let version = 0; version < 4; version++) {
        const text = lines.join('\n') + (rand() < 0.8 ? '\n' : '');
        const whole = detector.detectEdit(chunkOf(text), undefined);
        const notes: ScanNote[] = [];
        const asEdit = detector.detectEdit(chunkOf(text), base, notes);
        expect(plain(asEdit.findings), `round ${round} version ${version}`).toEqual(plain(detector.detect(chunkOf(text))));
        expectSameQuiet(asEdit.quiet, whole.quiet, text);
        expect(notes).toEqual([]);
        // Edits whose windows (for two line breaks) cover less than half the text: matched in windows.
        const windows = base && asEdit.quiet && editWindows(asEdit.quiet!.bytes, changedLines(base.bytes, asEdit.quiet!.bytes), 2);
        if (windows && windows.reduce((n, w) => n + w.to - w.from, 0) < text.length / 2) windowed++;
        base = asEdit.quiet;
        lines = edit(rand, lines);
      }
    }
    expect(windowed).toBeGreaterThan(500);
  });

  test('matches at the edges of an edit: its last line, a deletion joining two lines, the end of the text', () => {
    const filler = Array.from({ length: 100 }, (_, i) => `filler line ${i} `.repeat(8)).join('\n');
    const cases: [string, string][] = [
      // The match ends on the changed line and starts a line before it (the window reaches back).
      [`${filler}\nuser: bob\npass: short\n${filler}\n`, `${filler}\nuser: bob\npass: shortzz9zz9zz9\n${filler}\n`],
      [`${filler}\nBEGIN\nabc\nd3f\nEN\n${filler}\n`, `${filler}\nBEGIN\nabc\nd3f\nEND\n${filler}\n`],
      // A deleted line joins two unchanged lines into a match.
      [`${filler}\nuser: bob\nfiller\npass: longpassword1\n${filler}\n`, `${filler}\nuser: bob\npass: longpassword1\n${filler}\n`],
      // The edit ends where its base went on: an empty line at the end of the text.
      [`${filler}\nbox\nmore`, `${filler}\nbox\n`],
    ];
    for (const [old, text] of cases) {
      const base = detector.detectEdit(chunkOf(old), undefined).quiet!;
      const edited = detector.detectEdit(chunkOf(text), base);
      const whole = detector.detectEdit(chunkOf(text), undefined);
      expect(plain(edited.findings)).toEqual(plain(whole.findings));
      expectSameQuiet(edited.quiet, whole.quiet, text);
    }
  });

  test('a rule whose keyword arrives with the edit runs on the whole text', () => {
    const old = `line one\nsecret = "abcdefgh12345"\n${'filler\n'.repeat(50)}`;
    const base = detector.detectEdit(chunkOf(old), undefined).quiet!;
    // The keyword `begin` first appears at the end; the block it selects sits in old lines.
    const text = `line one\nBEGIN\nabc\nEND\n${'filler\n'.repeat(50)}begin\n`;
    const edited = detector.detectEdit(chunkOf(text), base);
    expect(plain(edited.findings).map((f) => f.rule)).toContain('block');
    expect(plain(edited.findings)).toEqual(plain(detector.detect(chunkOf(text))));
  });

  test('a rule whose keyword the edit deletes does not apply, though its match is still there', () => {
    const filler = 'filler\n'.repeat(50);
    const base = detector.detectEdit(chunkOf(`farkey:\n${filler}FAR12345678\n${filler}`), undefined).quiet!;
    const text = `${filler}FAR12345678\n${filler}`;
    const edited = detector.detectEdit(chunkOf(text), base);
    expect(plain(detector.detect(chunkOf(text)))).toEqual([]);
    expect(plain(edited.findings)).toEqual([]);
    // And back: the keyword returns on a changed line, far from the match on an unchanged one.
    const again = detector.detectEdit(chunkOf(`farkey:\n${text}`), edited.quiet);
    expect(plain(again.findings).map((f) => f.rule)).toEqual(['far']);
  });
});

describe('changedLines and editWindows', () => {
  test('an inserted line, a deleted one and a repeated line: only the lines that differ, and the first and last', () => {
    const base = Buffer.from('a\n}\nb\n}\nc\nd\ne\nf\n');
    const text = Buffer.from('a\n}\nNEW\nb\n}\nd\ne\nf\n');
    const lines = changedLines(base, text).map(([from, to]) => text.toString('latin1', from, to));
    // `d` follows `}` in the edit but not in the base (`c` was deleted): it counts as changed.
    expect(lines).toEqual(['a\n', 'NEW\n', 'd\n', 'f\n']);
  });

  test('every run of unchanged lines is a run of lines of the base; a budget gives up on large edits', () => {
    const rand = random(7);
    let unchanged = 0;
    for (let round = 0; round < 400; round++) {
      const before = generate(rand, 1 + Math.floor(rand() * 120));
      const after = rand() < 0.1 ? generate(rand, before.length) : edit(rand, before);
      const base = Buffer.from(before.join('\n') + '\n');
      const text = Buffer.from(after.join('\n') + (rand() < 0.8 ? '\n' : ''));
      const changed = changedLines(base, text);
      expect(changed[0]![0]).toBe(0);
      expect(changed.at(-1)![1]).toBe(text.length);
      for (let i = 1; i < changed.length; i++) {
        // Between two changed ranges: whole unchanged lines, found in the base at a line start.
        const run = text.subarray(changed[i - 1]![1], changed[i]![0]);
        expect(run.length).toBeGreaterThan(0);
        expect(Buffer.concat([Buffer.from('\n'), run]).toString('latin1')).toSatisfy((r: string) => base.toString('latin1').includes(r));
        unchanged += run.length;
      }
      const changedBytes = changed.reduce((n, [from, to]) => n + to - from, 0);
      expect(changedLines(base, text, changedBytes)).toEqual(changed);
      if (changedBytes > 0) expect(changedLines(base, text, changedBytes / 2 - 1)).toBeUndefined();
    }
    expect(unchanged).toBeGreaterThan(100_000);
  });

  test('windows reach the bound of line breaks before and one line more after, merged when they meet', () => {
    const text = Buffer.from(Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const start = (line: number): number => text.indexOf(`line ${line}\n`);
    const changed: [number, number][] = [[start(10), start(11)]];
    expect(editWindows(text, changed, 2)).toEqual([{ from: start(8), to: start(14), changedUntil: start(11) }]);
    expect(editWindows(text, changed, 0)).toEqual([{ from: start(10), to: start(12), changedUntil: start(11) }]);
  });
});
