// Dockerfiles: one chunk per instruction (continuations and heredocs included), placed by instruction.
import type { Chunk } from '../types.js';
import { LineSource } from './infra/line-chunks.js';
import { NOTES } from './infra/notes.js';
import type { FileChunks } from './file-chunks.js';

const PLACES: Record<string, { place: string; note?: string }> = {
  ENV: { place: 'dockerfile.env', note: NOTES.dockerfileEnv },
  ARG: { place: 'dockerfile.arg', note: NOTES.dockerfileArg },
  RUN: { place: 'dockerfile.run', note: NOTES.dockerfileRun },
  LABEL: { place: 'dockerfile.label', note: NOTES.dockerfileLabel },
  COPY: { place: 'dockerfile.copy', note: NOTES.dockerfileCopy },
  ADD: { place: 'dockerfile.copy', note: NOTES.dockerfileCopy },
};

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** Chunks for a Dockerfile: every physical line belongs to exactly one chunk (comments to `dockerfile.comment`). */
export function dockerfileChunks(path: string, text: string): FileChunks {
  const src = new LineSource(path, text);
  const escape = escapeChar(src.lines);
  const chunks: Chunk[] = [];
  let i = 0;
  while (i < src.lines.length) {
    const line = src.lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      i++;
      continue;
    }
    const first = i;
    const keyword = /^\s*([A-Za-z]+)/.exec(line)?.[1]?.toUpperCase() ?? '';
    const heredocs: { strip: boolean; word: string }[] = [];
    for (;;) {
      const current = src.lines[i]!;
      i++;
      // Inside a continuation, comment and blank lines are skipped and the instruction goes on.
      const skipped = i - 1 > first && (current.trim() === '' || current.trimStart().startsWith('#'));
      if (skipped) {
        if (i < src.lines.length) continue;
        break;
      }
      for (const m of current.matchAll(HEREDOC)) heredocs.push({ strip: m[1] === '-', word: m[3]! });
      if (!(current.trimEnd().endsWith(escape) && i < src.lines.length)) break;
    }
    for (const { strip, word } of heredocs) {
      while (i < src.lines.length && (strip ? src.lines[i]!.replace(/^\t+/, '') : src.lines[i]) !== word) i++;
      if (i < src.lines.length) i++;
    }
    const { place, note } = PLACES[keyword] ?? { place: `dockerfile.${keyword.toLowerCase() || 'other'}` };
    chunks.push(src.chunk(first + 1, i, place, note));
  }
  const rest = src.rest('dockerfile.comment');
  if (rest) chunks.push(rest);
  return { chunks, notes: [] };
}

/** The escape character from a `# escape=` parser directive at the top, else a backslash. */
function escapeChar(lines: string[]): string {
  for (const line of lines) {
    const directive = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(line);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) return directive[2];
  }
  return '\\';
}
