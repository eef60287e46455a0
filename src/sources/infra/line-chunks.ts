// Cuts chunks out of a file as whole physical lines, so that lines and columns stay those of the file.
import type { Chunk, Provenance } from '../../types.js';

/** A file split into lines, remembering which lines a format-aware chunk has already taken. */
export class LineSource {
  readonly lines: string[];
  private readonly claimed: boolean[];

  constructor(
    readonly path: string,
    text: string,
  ) {
    this.lines = text.split(/\r?\n/);
    this.claimed = this.lines.map(() => false);
  }

  get provenance(): Provenance {
    return { kind: 'file', path: this.path };
  }

  /** Marks 1-based lines first..last as handled (scanned elsewhere, or a reference that is never a leak). */
  claim(first: number, last: number): void {
    for (let line = first; line <= last; line++) this.claimed[line - 1] = true;
  }

  /** A chunk of the physical lines first..last (1-based, inclusive); the lines are claimed. */
  chunk(first: number, last: number, place: string, note?: string): Chunk {
    this.claim(first, last);
    const chunk: Chunk = { text: this.lines.slice(first - 1, last).join('\n'), provenance: this.provenance, startLine: first, place };
    if (note) chunk.note = note;
    return chunk;
  }

  /** The lines no chunk claimed, as one chunk with a line map (undefined when nothing is left but blanks). */
  rest(place?: string): Chunk | undefined {
    const lineMap: number[] = [];
    const texts: string[] = [];
    this.lines.forEach((line, i) => {
      if (this.claimed[i]) return;
      lineMap.push(i + 1);
      texts.push(line);
    });
    if (texts.every((line) => line.trim() === '')) return undefined;
    const chunk: Chunk = { text: texts.join('\n'), provenance: this.provenance, lineMap };
    if (place) chunk.place = place;
    return chunk;
  }
}
