// Parses YAML (every document of a stream) keeping source positions, without ever expanding aliases.
import { isMap, isScalar, isSeq, newLineCounter, parseAllDocuments } from './yaml-lib.js';
import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';

/** A parsed YAML stream with a way back from offsets to 1-based lines and columns. */
export interface YamlStream {
  docs: Document.Parsed[];
  lineCounter: LineCounter;
}

/** A YAML stream with more documents than this is not parsed (it would take a gigabyte): it is scanned as text. */
export const MAX_YAML_DOCUMENTS = 10_000;

/**
 * Parses every document; returns the first error's message (with its line) when the YAML is malformed, and
 * `tooMany` when the stream holds more than MAX_YAML_DOCUMENTS documents (counted before parsing).
 */
export function parseYamlStream(text: string): YamlStream | { error: string; tooMany?: true } {
  const documents = (text.match(/^---/gm)?.length ?? 0) + 1;
  if (documents > MAX_YAML_DOCUMENTS) return { error: `${documents} YAML documents, over the ${MAX_YAML_DOCUMENTS} a file is parsed for`, tooMany: true };
  const lineCounter = newLineCounter();
  let parsed;
  try {
    // NOTE: callers walk the AST and never resolve aliases (no toJS()), so an alias bomb costs nothing.
    parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    return { error: plainReason((error as Error).message) };
  }
  const docs = Array.isArray(parsed) ? parsed : [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return { error: `line ${line}, column ${col}: ${plainReason(error.message.split('\n')[0]!)}` };
    }
  }
  return { docs, lineCounter };
}

/** The parser's reason in a user's words: a stack overflow means the document nests too deeply. */
function plainReason(message: string): string {
  return /call stack/i.test(message) ? 'nested too deeply to parse' : message;
}

/** 1-based first and last line of a node or pair (trailing newlines of block scalars are not counted). */
export function lineSpan(stream: YamlStream, text: string, node: Node | Pair): [number, number] {
  const [start, end] = offsets(node);
  let last = Math.max(start, end - 1);
  while (last > start && (text[last] === '\n' || text[last] === '\r')) last--;
  return [stream.lineCounter.linePos(start).line, stream.lineCounter.linePos(last).line];
}

function offsets(node: Node | Pair): [number, number] {
  if ('key' in node && 'value' in node && !('range' in node)) {
    const key = node.key as Node | null;
    const value = node.value as Node | null;
    const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
    const end = value?.range?.[1] ?? key?.range?.[1] ?? start;
    return [start, end];
  }
  const range = (node as Node).range ?? [0, 0, 0];
  return [range[0], range[1]];
}

/** The node under `key` in a map (not resolving aliases), or undefined. */
export function child(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const found = (node as YAMLMap).get(key, true);
  return (found ?? undefined) as Node | undefined;
}

/** The pair holding `key` in a map, or undefined. */
export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap).items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key) as Pair | undefined;
}

/** The string value of a scalar node, or undefined. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  return node.value === null || node.value === undefined ? undefined : String(node.value);
}

/** The items of a sequence node (empty for anything else). */
export function seqItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

/** The pairs of a map node (empty for anything else). */
export function mapPairs(node: unknown): Pair[] {
  return isMap(node) ? (node.items as Pair[]) : [];
}
