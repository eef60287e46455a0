// Maps offsets in a chunk's text to 1-based lines and columns (UTF-16 code units, as SARIF counts them).

/** Offsets at which each line starts; `\r\n`, `\n` and a lone `\r` all end a line. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  /** 0-based line index of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where 0-based line `line` starts. */
  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** Offset just past the last character of 0-based line `line`, before its line break. */
  lineEnd(line: number): number {
    let end = this.starts[line + 1] ?? this.text.length;
    while (end > this.lineStart(line) && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }
}
