// Maps byte offsets in a UTF-8 encoding of a text back to the text's own (UTF-16) offsets.
// RE2 converts a string argument to UTF-8 on every call (and back again for its offsets): matching one Buffer made
// once per chunk, then mapping the few match offsets, costs a fraction of that on non-ASCII files.

/** Bytes between two remembered positions: a lookup decodes at most this many. */
const STEP = 256;

/** UTF-16 offsets of byte offsets in `bytes`, the UTF-8 encoding of a string (as `Buffer.from(text, 'utf8')` makes it). */
export class Utf8Offsets {
  /** UTF-16 units before byte `i * STEP`. */
  private marks?: Uint32Array;

  constructor(private readonly bytes: Uint8Array) {}

  /** The UTF-16 offset of byte offset `at`, which is on a character boundary. */
  toText(at: number): number {
    const marks = (this.marks ??= this.build());
    const block = Math.floor(at / STEP);
    let units = marks[block]!;
    for (let i = block * STEP; i < at; i++) units += unitsOf(this.bytes[i]!);
    return units;
  }

  /** The first character boundary after byte offset `at` (where matching resumes after an empty match). */
  nextBoundary(at: number): number {
    let next = at + 1;
    while (next < this.bytes.length && (this.bytes[next]! & 0xc0) === 0x80) next++;
    return next;
  }

  private build(): Uint32Array {
    const marks = new Uint32Array(Math.floor(this.bytes.length / STEP) + 1);
    let units = 0;
    for (let i = 0; i < this.bytes.length; i++) {
      if (i % STEP === 0) marks[i / STEP] = units;
      units += unitsOf(this.bytes[i]!);
    }
    if (this.bytes.length % STEP === 0) marks[this.bytes.length / STEP] = units;
    return marks;
  }
}

/**
 * UTF-16 units a byte adds: a continuation byte none, the lead byte of a 4-byte sequence two (a surrogate pair),
 * any other one. U+FFFD, which stands for a lone surrogate in the encoding, is one unit, as the surrogate was.
 */
function unitsOf(byte: number): number {
  if ((byte & 0xc0) === 0x80) return 0;
  return byte >= 0xf0 ? 2 : 1;
}
