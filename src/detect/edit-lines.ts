// The lines of an edit that a match absent from the version it edits must touch, and the windows around them.

const NL = 10;
/** Bytes compared at a time while looking for the common start and end of two texts. */
const BLOCK = 4096;
/** How far on in the base a changed line is looked for, to take up the unchanged lines after it. */
const RESYNC_BYTES = 4096;
/** Windows closer than this are matched as one. */
const MERGE_GAP = 2048;

/**
 * The changed lines of `text` against `base` (UTF-8 bytes: a line break byte is never part of another character), as byte ranges of whole lines with their line
 * break, sorted. A line is unchanged when it is a line of `base` that follows, in `base` too, the unchanged
 * line before it; the first and the last line always count as changed (they see where the text starts and ends).
 * What holds (docs/git.md, "Scanning edits"): a match of a pattern in `text` whose lines (from the line of its
 * start to the line of the position after it) are all unchanged is a match in `base` too, at the same lines.
 */
export function changedLines(base: Buffer, text: Buffer): [number, number][];
export function changedLines(base: Buffer, text: Buffer, budget: number): [number, number][] | undefined;
/** With `budget`: undefined as soon as the changed lines hold more bytes than that (the edit is no small one). */
export function changedLines(base: Buffer, text: Buffer, budget = Infinity): [number, number][] | undefined {
  const head = commonHead(base, text);
  const tail = commonTail(base, text, head);
  const shift = text.length - base.length;
  const changed: [number, number][] = [];
  let changedBytes = 0;
  const mark = (from: number, to: number): void => {
    const last = changed[changed.length - 1];
    if (last && last[1] >= from) {
      changedBytes += Math.max(0, to - last[1]);
      last[1] = Math.max(last[1], to);
    } else {
      changedBytes += to - from;
      changed.push([from, to]);
    }
  };
  mark(0, lineEnd(text, 0));
  // The middle, lines [head, tail) of text against [head, baseEnd) of base: a line of text is unchanged when it
  // is the line of base expected next (the one after the last unchanged line); a changed line that base holds
  // a little further on (lines deleted or replaced before it) is where base is expected to go on from.
  const baseEnd = tail - shift;
  let expected = head;
  for (let at = head; at < tail; ) {
    // The lines that match base from the expected line on, each with its line break, are unchanged: the
    // common run is measured block by block, and cut back to its last line break.
    const run = commonLength(text, at, base, expected, Math.min(tail - at, baseEnd - expected));
    const lastBreak = run > 0 ? text.lastIndexOf(NL, at + run - 1) : -1;
    if (lastBreak >= at) {
      expected += lastBreak + 1 - at;
      at = lastBreak + 1;
      continue;
    }
    const end = lineEnd(text, at);
    mark(at, end);
    if (changedBytes > budget) return undefined;
    // After a changed line, base may go on from any line start: where it does decides only how many lines
    // are found unchanged. The cheap guesses first, each a line or a search of at most RESYNC_BYTES.
    const expectedEnd = expected < baseEnd ? Math.min(baseEnd, lineEnd(base, expected)) : baseEnd;
    // The line replaced by another: the next lines agree.
    if (end < tail && expectedEnd < baseEnd && sameLine(text, end, base, expectedEnd)) {
      expected = expectedEnd;
      at = end;
      continue;
    }
    // Lines inserted: the expected line (with the line break before it) a little further on in the text.
    const inserted = expected > 0 && expectedEnd > expected ? text.subarray(end - 1, Math.min(tail, end + RESYNC_BYTES)).indexOf(base.subarray(expected - 1, expectedEnd)) : -1;
    if (inserted >= 0) {
      if (inserted > 0) mark(end, end + inserted);
      if (changedBytes > budget) return undefined;
      at = end + inserted;
      continue;
    }
    // Lines deleted: this line a little further on in base (looked for with the line break before it, so that
    // it is found at a line start; at > 0: never the first line). Else the expected line was replaced.
    const from = Math.max(expected - 1, 0);
    const found = at > 0 && end < text.length ? base.subarray(from, Math.min(baseEnd, expected + RESYNC_BYTES)).indexOf(text.subarray(at - 1, end)) : -1;
    expected = found >= 0 ? from + found + end - at + 1 : expectedEnd;
    at = end;
  }
  // The first line of the common end follows the last line of the middle only when both middles were used up.
  if (tail < text.length && expected !== baseEnd) mark(tail, lineEnd(text, tail));
  if (text.length > 0) mark(lineStart(text, text.length - 1), text.length);
  return changedBytes > budget ? undefined : changed;
}

/**
 * Windows to match a pattern whose matches hold at most `breaks` line breaks, so that every match of the
 * whole text that touches a changed line is found, found the same (docs/git.md): from `breaks` lines before
 * a run of changed lines to `breaks + 1` lines after it; windows that overlap or nearly meet are merged (a window
 * may hold more lines than it needs; one call per window is what costs). Each window also says
 * where its last changed line ends: a match starting from there on touches none.
 */
export function editWindows(text: Buffer, changed: readonly [number, number][], breaks: number): { from: number; to: number; changedUntil: number }[] {
  const windows: { from: number; to: number; changedUntil: number }[] = [];
  for (const [from, to] of changed) {
    let start = from;
    for (let i = 0; i < breaks && start > 0; i++) start = lineStart(text, start - 1);
    let end = to;
    for (let i = 0; i <= breaks && end < text.length; i++) end = lineEnd(text, end);
    const last = windows[windows.length - 1];
    if (last && start <= last.to + MERGE_GAP) {
      last.to = Math.max(last.to, end);
      last.changedUntil = to;
    } else windows.push({ from: start, to: end, changedUntil: to });
  }
  return windows;
}

/** Offset just past the line break of the line holding `at` (or the end of the text). */
export function lineEnd(text: Buffer, at: number): number {
  const nl = text.indexOf(NL, at);
  return nl < 0 ? text.length : nl + 1;
}

/** Whether the line of `a` at `aAt` and the line of `b` at `bAt` (both line starts) are the same, line break included. */
function sameLine(a: Buffer, aAt: number, b: Buffer, bAt: number): boolean {
  const aEnd = lineEnd(a, aAt);
  const bEnd = lineEnd(b, bAt);
  return aEnd - aAt === bEnd - bAt && a[aEnd - 1] === NL && a.compare(b, bAt, bEnd, aAt, aEnd) === 0;
}

/** Offset of the start of the line holding `at`. */
function lineStart(text: Buffer, at: number): number {
  return at <= 0 ? 0 : text.lastIndexOf(NL, at - 1) + 1;
}

/** Blocks compared at a time by commonLength, longest first. */
const RUN_BLOCKS = [BLOCK, 256, 16];

/** Length of the common start of a[aAt..] and b[bAt..], at most `max` bytes. */
function commonLength(a: Buffer, aAt: number, b: Buffer, bAt: number, max: number): number {
  let n = 0;
  for (const size of RUN_BLOCKS) {
    while (n + size <= max && a.compare(b, bAt + n, bAt + n + size, aAt + n, aAt + n + size) === 0) n += size;
  }
  while (n < max && a[aAt + n] === b[bAt + n]) n++;
  return n;
}

/** Length of the common start of `a` and `b`, cut back to whole lines (each with its line break). */
function commonHead(a: Buffer, b: Buffer): number {
  const max = Math.min(a.length, b.length);
  let n = 0;
  while (n + BLOCK <= max && a.compare(b, n, n + BLOCK, n, n + BLOCK) === 0) n += BLOCK;
  while (n < max && a[n] === b[n]) n++;
  return n === 0 ? 0 : b.lastIndexOf(NL, n - 1) + 1;
}

/**
 * Where the common end of `base` and `text` starts in `text`, at a line start in both, not before `head`
 * (in either text): the lines from there on are the same lines, following the same line.
 */
function commonTail(base: Buffer, text: Buffer, head: number): number {
  const max = Math.min(base.length, text.length) - head;
  let n = 0;
  while (n + BLOCK <= max && base.compare(text, text.length - n - BLOCK, text.length - n, base.length - n - BLOCK, base.length - n) === 0) n += BLOCK;
  while (n < max && base[base.length - n - 1] === text[text.length - n - 1]) n++;
  let at = text.length - n;
  const shift = text.length - base.length;
  const startsLine = (x: number): boolean => (x === 0 || text[x - 1] === NL) && (x - shift === 0 || base[x - shift - 1] === NL);
  while (at < text.length && !startsLine(at)) at = lineEnd(text, at);
  return at;
}
