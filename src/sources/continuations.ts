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
  const lines = chunk.text.split(/\r\n|\r|\n/);
  const out: Chunk[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!;
    if (!continues(line)) continue;
    const head = line.slice(0, -1);
    const { lineMap: _lineMap, asciiBytes: _asciiBytes, ...rest } = chunk;
    const joined: Chunk = { ...rest, text: `${head}${lines[i + 1]!}`, startLine: chunk.lineMap?.[i] ?? (chunk.startLine ?? 1) + i, joinedAt: head.length };
    if (i === 0 && chunk.startColumn !== undefined) joined.startColumn = chunk.startColumn;
    else delete joined.startColumn;
    out.push(joined);
  }
  return out;
}

/** A line ending in an odd number of backslashes continues on the next line. */
function continues(line: string): boolean {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 0x5c) end--;
  return (line.length - end) % 2 === 1;
}
