// Shared by the YAML formats (Kubernetes, compose): parse once, cut chunks of whole lines, scan what is left.
import type { Document, Node, Pair } from 'yaml';
import type { Chunk, ScanNote } from '../../types.js';
import type { FileChunks } from '../file-chunks.js';
import { LineSource } from './line-chunks.js';
import { lineSpan, parseYamlStream } from './yaml-doc.js';
import type { YamlStream } from './yaml-doc.js';

/** What a YAML format visitor works with. */
export interface Ctx {
  src: LineSource;
  text: string;
  stream: YamlStream;
  chunks: Chunk[];
  notes: ScanNote[];
}

/** Shared by the YAML formats: parse, let `visit` take the lines it understands, scan the rest as `restPlace`. */
export function yamlChunks(path: string, text: string, restPlace: string, visit: (doc: Document.Parsed, ctx: Ctx) => void): FileChunks {
  const stream = parseYamlStream(text);
  if ('error' in stream) {
    // A Helm or Go template is not YAML until rendered: scanning it as text is all there is to do, no warning.
    const template = /\{\{-?\s/.test(text);
    return {
      chunks: [{ text, provenance: { kind: 'file', path } }],
      notes: stream.tooMany
        ? [{ level: 'warning', input: path, message: `${stream.error}: scanned as plain text` }]
        : template ? [] : [{ level: 'warning', input: path, message: `malformed YAML (${stream.error}): scanned as plain text` }],
    };
  }
  const ctx: Ctx = { src: new LineSource(path, text), text, stream, chunks: [], notes: [] };
  for (const doc of stream.docs) visit(doc, ctx);
  const rest = ctx.src.rest(restPlace);
  if (rest) ctx.chunks.push(rest);
  return { chunks: ctx.chunks, notes: ctx.notes };
}

/** A chunk of the lines of a node or pair. */
export function nodeChunk(ctx: Ctx, node: Node | Pair, place: string, note?: string): Chunk {
  const [first, last] = lineSpan(ctx.stream, ctx.text, node);
  return ctx.src.chunk(first, last, place, note);
}

