// Shell-style `\` line continuations: a secret split across them is joined again, in a chunk of its own.
import type { Chunk } from '../types.js';
import type { FileFormat } from './infra/detect-format.js';

const SHELL_PATH = /(?:\.(?:sh|bash|zsh|ksh|bats|envrc)|(?:^|\/)(?:GNUmakefile|[Mm]akefile))$/;
const SHELL_SHEBANG = /^#!\s*\S*\b(?:ba|z|k|da)?sh\b/;

/** Whether `\` at a line's end joins it to the next in this file: shell scripts, makefiles, Dockerfiles. */
export function joinsContinuations(path: string, text: string, format: FileFormat): boolean {
  return format === 'dockerfile' || SHELL_PATH.test(path) || SHELL_SHEBANG.test(text.slice(0, 128));
}

/**
 * One chunk per continuation in `chunk`: the continued line without its backslash followed by the next line,
 * at the continued line's original position, with `joinedAt` so that only secrets across the join are reported.
 */
export function continuationChunks(chunk: Chunk): Chunk[] {
  if (chunk.pathOnly || chunk.decodedFrom || !chunk.text.includes('\\')) return [];
  const { text } = chunk;
  const out: Chunk[] = [];
  if (text.includes('\r')) {
    const lines = text.split(/\r\n|\r|\n/);
    for (let i = 0; i + 1 < lines.length; i++) if (continues(lines[i]!)) out.push(joinedChunk(chunk, i, lines[i]!, lines[i + 1]!));
    return out;
  }
  // Only `\n` breaks lines: the backslashes before one are found, and lines counted, without splitting the text.
  let line = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\\\n'); at >= 0; at = text.indexOf('\\\n', at + 2)) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    const continued = text.slice(lineStart, at + 1);
    if (!continues(continued)) continue;
    const nextEnd = text.indexOf('\n', at + 2);
    out.push(joinedChunk(chunk, line, continued, text.slice(at + 2, nextEnd < 0 ? text.length : nextEnd)));
  }
  return out;
}

/** The chunk of line `i` of `chunk`, which continues, joined to the line after it. */
function joinedChunk(chunk: Chunk, i: number, line: string, next: string): Chunk {
  const head = line.slice(0, -1);
  const { lineMap: _lineMap, asciiBytes: _asciiBytes, ...rest } = chunk;
  const joined: Chunk = { ...rest, text: `${head}${next}`, startLine: chunk.lineMap?.[i] ?? (chunk.startLine ?? 1) + i, joinedAt: head.length };
  if (i === 0 && chunk.startColumn !== undefined) joined.startColumn = chunk.startColumn;
  else delete joined.startColumn;
  return joined;
}

/** A line ending in an odd number of backslashes continues on the next line. */
function continues(line: string): boolean {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 0x5c) end--;
  return (line.length - end) % 2 === 1;
}
