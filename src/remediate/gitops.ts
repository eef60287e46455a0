// --gitops: sets force-sync on ExternalSecret manifests in the infra repo, touching only the lines it must.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, parseAllDocuments, type Document, type Pair, type YAMLMap } from 'yaml';
import { shellQuote } from './plan.js';

/** The offset just past the line holding the last non-blank character before `offset`. */
export function lineEndAfter(text: string, offset: number): number {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

/** The column (0-based) of `offset` in its line. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function insertLines(text: string, at: number, lines: string): string {
  const head = text.slice(0, at);
  return `${head}${head.length > 0 && !head.endsWith('\n') ? '\n' : ''}${lines}${text.slice(at)}`;
}

/** Text edit of one document: replaces or inserts `force-sync` in block-style metadata; undefined when it cannot. */
function surgicalEdit(text: string, doc: Document, value: string): string | undefined {
  const metadata = doc.get('metadata', true);
  if (!isMap(metadata) || metadata.flow) return undefined;
  const quoted = `"${value}"`;
  const annotations = (metadata as YAMLMap).get('annotations', true);
  if (isMap(annotations) && !annotations.flow && annotations.items.length > 0) {
    const pair = annotations.items.find((p) => isScalar(p.key) && p.key.value === 'force-sync') as Pair | undefined;
    if (pair && isScalar(pair.value) && pair.value.range) {
      const [start, end] = pair.value.range;
      return text.slice(0, start) + quoted + text.slice(end);
    }
    const last = annotations.items.at(-1)!;
    if (!isScalar(last.key) || !last.key.range) return undefined;
    const indent = ' '.repeat(columnOf(text, last.key.range[0]));
    const end = (isScalar(last.value) || isMap(last.value)) && last.value.range ? last.value.range[1] : last.key.range[1];
    return insertLines(text, lineEndAfter(text, end), `${indent}force-sync: ${quoted}\n`);
  }
  if (annotations !== undefined) return undefined;
  const last = metadata.items.at(-1);
  if (!last || !isScalar(last.key) || !last.key.range) return undefined;
  const indent = ' '.repeat(columnOf(text, last.key.range[0]));
  const lastValue = last.value as { range?: [number, number, number] } | null;
  const end = lastValue?.range ? lastValue.range[1] : last.key.range[1];
  return insertLines(text, lineEndAfter(text, end), `${indent}annotations:\n${indent}  force-sync: ${quoted}\n`);
}

/**
 * Sets `metadata.annotations.force-sync` to `value` on the ExternalSecret `name` in `text`, keeping every other
 * byte (comments, quoting, indentation). Falls back to re-serialising that one document when its metadata is flow-style.
 */
export function setForceSync(text: string, name: string, value: string): string | undefined {
  const docs = parseAllDocuments(text);
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    if (doc.get('kind') !== 'ExternalSecret' || doc.getIn(['metadata', 'name']) !== name) continue;
    const edited = surgicalEdit(text, doc, value);
    if (edited !== undefined) return edited;
    doc.setIn(['metadata', 'annotations', 'force-sync'], value);
    const [start, , end] = doc.range;
    return text.slice(0, start) + doc.toString() + text.slice(end);
  }
  return undefined;
}

/** Edits each ExternalSecret's manifest under `root` and returns the files changed and the commit to make. */
export async function editManifests(
  root: string,
  externalSecrets: { name: string; file?: string }[],
  value: string,
  message: string,
): Promise<{ files: string[]; commit: string }> {
  const files: string[] = [];
  for (const es of externalSecrets) {
    if (!es.file) throw new Error(`--gitops: no manifest file known for ExternalSecret ${es.name}`);
    const path = join(root, es.file);
    const text = await readFile(path, 'utf8');
    const edited = setForceSync(text, es.name, value);
    if (edited === undefined) throw new Error(`${es.file}: no ExternalSecret named ${es.name} to annotate`);
    if (edited !== text) await writeFile(path, edited);
    if (!files.includes(es.file)) files.push(es.file);
  }
  const commit = `git -C ${shellQuote(root)} add ${files.map(shellQuote).join(' ')} && git -C ${shellQuote(root)} commit -m ${shellQuote(message)} && git -C ${shellQuote(root)} push`;
  return { files, commit };
}
