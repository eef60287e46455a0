// Byte offsets of a UTF-8 encoding mapped back to the text's UTF-16 offsets, for any text.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Utf8Offsets } from '../../src/detect/utf8-offsets.js';

/** The byte offset of every character boundary of `text`, with the UTF-16 offset it stands for. */
function boundaries(text: string): [number, number][] {
  const out: [number, number][] = [];
  let bytes = 0;
  let units = 0;
  for (const ch of text) {
    out.push([bytes, units]);
    bytes += Buffer.byteLength(ch, 'utf8');
    units += ch.length;
  }
  out.push([bytes, units]);
  return out;
}

describe('Utf8Offsets', () => {
  test('maps every character boundary back, across multi-byte characters, surrogate pairs and lone surrogates', () => {
    const text = `é日本🔑\ud800x${'ü'.repeat(300)}🔐end`;
    const offsets = new Utf8Offsets(Buffer.from(text, 'utf8'));
    for (const [byte, unit] of boundaries(text)) expect(offsets.toText(byte)).toBe(unit);
  });

  test('agrees with decoding the prefix, for any text and length (also multiples of its step)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 700 }), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        const offsets = new Utf8Offsets(bytes);
        for (const [byte] of boundaries(text)) expect(offsets.toText(byte)).toBe(bytes.toString('utf8', 0, byte).length);
      }),
    );
    const exact = 'ä'.repeat(256);
    expect(new Utf8Offsets(Buffer.from(exact, 'utf8')).toText(512)).toBe(256);
  });

  test('the next boundary skips the rest of a multi-byte character', () => {
    const offsets = new Utf8Offsets(Buffer.from('a🔑b', 'utf8'));
    expect(offsets.nextBoundary(0)).toBe(1);
    expect(offsets.nextBoundary(1)).toBe(5);
    expect(offsets.nextBoundary(5)).toBe(6);
  });
});
