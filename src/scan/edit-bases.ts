// The texts a scanning thread keeps so that the blobs stored as deltas of them can be scanned as edits.
import type { EditBase } from '../detect/detector.js';
import type { Chunk } from '../types.js';

/** Bytes of texts kept (the most recently scanned kept first). */
export const EDIT_BASES_BYTES = 16 * 1024 * 1024;

/**
 * The whole plain texts a thread scanned last, by blob id, with the rules quiet in each, within
 * EDIT_BASES_BYTES. A pack keeps a blob's delta base a few objects before it, so the base is mostly still here.
 */
export class EditBases {
  readonly #bases = new Map<string, EditBase>();
  #bytes = 0;

  /** Keeps a copy of `base.bytes` (a blob's bytes are a view of a larger buffer, which a reference would keep). */
  add(oid: string, base: EditBase): void {
    if (this.#bases.has(oid)) return;
    this.#bases.set(oid, { bytes: Buffer.from(base.bytes), quiet: base.quiet, keywords: base.keywords });
    this.#bytes += base.bytes.length;
    for (const [old, kept] of this.#bases) {
      if (this.#bytes <= EDIT_BASES_BYTES) break;
      this.#bases.delete(old);
      this.#bytes -= kept.bytes.length;
    }
  }

  get(oid: string | undefined): EditBase | undefined {
    return oid === undefined ? undefined : this.#bases.get(oid);
  }

  readonly #cleanJoins = new Set<string>();

  /**
   * Whether a line-continuation chunk just like this one (the same text, path, place and join) gave nothing
   * before: most versions of a file repeat its continuations, and a chunk's findings and notes depend on
   * nothing else but where they are reported (docs/git.md, "Scanning edits").
   */
  knownClean(chunk: Chunk): boolean {
    return this.#cleanJoins.has(joinKey(chunk));
  }

  /** Remembers a continuation chunk that gave no finding and no note (the oldest forgotten past CLEAN_JOINS). */
  addClean(chunk: Chunk): void {
    this.#cleanJoins.add(joinKey(chunk));
    if (this.#cleanJoins.size > CLEAN_JOINS) this.#cleanJoins.delete(this.#cleanJoins.values().next().value!);
  }
}

/** Continuation chunks remembered clean. */
const CLEAN_JOINS = 100_000;

function joinKey(chunk: Chunk): string {
  const first = (chunk.startLine ?? 1) === 1 ? 1 : 0;
  return `${chunk.provenance.path}\0${chunk.place ?? ''}\0${chunk.joinedAt}\0${first}\0${chunk.decodedFrom ? 1 : 0}\0${chunk.text}`;
}
