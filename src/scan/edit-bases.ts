// The texts a scanning thread keeps so that the blobs stored as deltas of them can be scanned as edits.
import type { EditBase } from '../detect/detector.js';

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
    this.#bases.set(oid, { bytes: Buffer.from(base.bytes), quiet: base.quiet });
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
}
